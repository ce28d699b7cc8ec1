package dev.ocipin.internal.http;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * How idempotent requests (HEAD, GET, token GET) are retried: up to {@code maxAttempts} in all, on
 * the statuses in {@link #RETRY_STATUS}, with exponential backoff and full jitter from {@code
 * baseDelay} (capped at 30 s), waiting what {@code Retry-After} asks up to {@code maxRetryAfter},
 * and never past {@code deadline} from the start of the operation. POSTs are never retried.
 *
 * @param maxAttempts attempts in all, at least 1
 * @param baseDelay the backoff's base
 * @param maxRetryAfter the longest {@code Retry-After} waited for
 * @param deadline how long one operation may take, retries included
 */
public record RetryPolicy(
    int maxAttempts, Duration baseDelay, Duration maxRetryAfter, Duration deadline) {
  /** Statuses worth another try: timeouts, rate limits and passing server trouble. */
  public static final Set<Integer> RETRY_STATUS = Set.of(408, 429, 500, 502, 503, 504);

  private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** Whether a request with {@code method} may be sent again: HEAD and GET only. */
  public static boolean idempotent(String method) {
    return method.equals("GET") || method.equals("HEAD");
  }

  /**
   * Whether a failure is worth another try. An explicit list, as Apache HttpClient's {@code
   * DefaultHttpRequestRetryStrategy} keeps one: timeouts, refused and reset connections, a garbled
   * response on a reused connection, and the JDK client's plain {@code IOException}s for a
   * connection that closed early. Not retried: TLS failures (a handshake, a certificate, a peer
   * that is not who it says), an unknown host, an interrupted wait, and every more specific
   * exception, which includes all of ocipin's own (a body over its cap, a refused redirect, a
   * credential helper's failure); none of those changes on a second try.
   */
  public static boolean retryable(Throwable failure) {
    if (isProxyRefusal(failure)) {
      return false;
    }
    for (Throwable c = failure; c != null; c = c.getCause()) {
      if (c instanceof javax.net.ssl.SSLException
          || c instanceof java.security.cert.CertificateException
          || c instanceof java.net.UnknownHostException) {
        return false;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return failure instanceof java.net.http.HttpTimeoutException
        || failure instanceof java.net.ConnectException
        || failure instanceof java.net.SocketException
        || failure instanceof java.io.EOFException
        || failure instanceof java.net.ProtocolException
        || failure.getClass() == java.io.IOException.class;
  }

  /**
   * Whether {@code failure} is the JDK client giving up on a proxy that kept answering 407 to the
   * credentials it was given: a plain {@code IOException} whose only sign is its wording ("too many
   * authentication attempts"). Another try would be refused the same way.
   */
  public static boolean isProxyRefusal(Throwable failure) {
    String m = failure.getMessage();
    return failure.getClass() == java.io.IOException.class
        && m != null
        && m.startsWith("too many authentication attempts");
  }

  /** Whether a response with {@code status} is worth another try. */
  public boolean retryable(int status) {
    return RETRY_STATUS.contains(status);
  }

  /** Exponential backoff with full jitter: uniform in [0, base * 2^(attempt-1)], capped at 30 s. */
  public Duration backoff(int attempt, RandomGenerator random) {
    long ceiling =
        Math.min(MAX_BACKOFF_NANOS, baseDelay.toNanos() << Math.min(20, Math.max(0, attempt - 1)));
    return Duration.ofNanos(random.nextLong(ceiling + 1));
  }

  /** Parses {@code Retry-After} as delta-seconds or as an HTTP date; empty when it is neither. */
  public static Optional<Duration> retryAfter(@Nullable String value, Clock clock) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String v = value.trim();
    try {
      long seconds = Long.parseLong(v);
      return Optional.of(Duration.ofSeconds(Math.max(0, seconds)));
    } catch (NumberFormatException e) {
      // Not seconds: try an HTTP date.
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration d = Duration.between(clock.instant(), at.toInstant());
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException | ArithmeticException e) {
      return Optional.empty();
    }
  }
}
