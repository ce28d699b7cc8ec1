package dev.ocipin.registry;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when the registry answers 429 Too Many Requests ({@code TOOMANYREQUESTS}), as Docker Hub
 * does when its pull rate limit is reached. Carries the wait the registry asked for and its {@code
 * RateLimit-Limit} and {@code RateLimit-Remaining} headers when present.
 */
public final class RateLimitedException extends RegistryException {
  private static final long serialVersionUID = 1L;

  private final @Nullable Duration retryAfter;
  private final @Nullable String limit;
  private final @Nullable String remaining;

  /**
   * Creates an exception.
   *
   * @param message what was refused
   * @param errors the registry's error entries
   * @param retryAfter the wait from {@code Retry-After}, or {@code null}
   * @param limit the {@code RateLimit-Limit} header, or {@code null}
   * @param remaining the {@code RateLimit-Remaining} header, or {@code null}
   */
  RateLimitedException(
      String message,
      List<RegistryError> errors,
      @Nullable Duration retryAfter,
      @Nullable String limit,
      @Nullable String remaining) {
    super(message, 429, errors, null);
    this.retryAfter = retryAfter;
    this.limit = limit;
    this.remaining = remaining;
  }

  /** Returns how long the registry asked to wait, from {@code Retry-After}. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** Returns the {@code RateLimit-Limit} header, such as {@code 100;w=21600}. */
  public Optional<String> limit() {
    return Optional.ofNullable(limit);
  }

  /** Returns the {@code RateLimit-Remaining} header, such as {@code 0;w=21600}. */
  public Optional<String> remaining() {
    return Optional.ofNullable(remaining);
  }
}
