package dev.ocipin;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one reference in a {@link DigestResolver#resolveAll batch}: either a {@link
 * ResolvedIndex} or the exception that stopped it. One failure never fails the batch.
 */
public final class ResolveResult {
  private final String input;
  private final @Nullable ResolvedIndex resolved;
  private final @Nullable Exception error;

  private ResolveResult(String input, @Nullable ResolvedIndex resolved, @Nullable Exception error) {
    this.input = input;
    this.resolved = resolved;
    this.error = error;
  }

  static ResolveResult success(String input, ResolvedIndex resolved) {
    return new ResolveResult(input, Objects.requireNonNull(resolved), null);
  }

  static ResolveResult failure(String input, Exception error) {
    return new ResolveResult(input, null, Objects.requireNonNull(error));
  }

  /** Returns the reference text as given. */
  public String input() {
    return input;
  }

  /** Returns whether this reference resolved. */
  public boolean isSuccess() {
    return resolved != null;
  }

  /** Returns the resolution, or empty when it failed. */
  public Optional<ResolvedIndex> resolved() {
    return Optional.ofNullable(resolved);
  }

  /**
   * Returns why it failed, or empty when it resolved: an {@link InvalidReferenceException} or an
   * {@link java.io.IOException} such as a {@link dev.ocipin.registry.RegistryException}.
   */
  public Optional<Exception> error() {
    return Optional.ofNullable(error);
  }

  /** Returns {@code input -> pinned} or {@code input -> error: message}. */
  @Override
  public String toString() {
    return input
        + " -> "
        + (resolved != null ? resolved.pinned().toString() : "error: " + error.getMessage());
  }
}
