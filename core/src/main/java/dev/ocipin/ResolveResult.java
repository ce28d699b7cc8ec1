package dev.ocipin;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one reference in a {@link DigestResolver#resolveAll batch}: {@link Resolved} with
 * its {@link ResolvedIndex}, or {@link Failed} with the exception that stopped it. One failure
 * never fails the batch.
 *
 * <pre>{@code
 * switch (result) {  // or instanceof, on Java 17
 *   case ResolveResult.Resolved r -> use(r.index().pinned());
 *   case ResolveResult.Failed f -> report(f.input(), f.failure());
 * }
 * }</pre>
 */
public sealed interface ResolveResult permits ResolveResult.Resolved, ResolveResult.Failed {
  /** Returns the reference text as given. */
  String input();

  /** Returns whether this reference resolved. */
  default boolean isSuccess() {
    return this instanceof Resolved;
  }

  /** Returns the resolution, or empty when it failed. */
  default Optional<ResolvedIndex> resolved() {
    return this instanceof Resolved ? Optional.of(((Resolved) this).index()) : Optional.empty();
  }

  /**
   * Returns why it failed, or empty when it resolved: an {@link InvalidReferenceException} or an
   * {@link java.io.IOException} such as a {@link dev.ocipin.registry.RegistryException}.
   */
  default Optional<Exception> error() {
    return this instanceof Failed ? Optional.of(((Failed) this).failure()) : Optional.empty();
  }

  /**
   * A reference that resolved.
   *
   * @param input the reference text as given
   * @param index what it resolved to
   */
  record Resolved(String input, ResolvedIndex index) implements ResolveResult {
    /** Checks that neither part is missing. */
    public Resolved {
      Objects.requireNonNull(input, "input");
      Objects.requireNonNull(index, "index");
    }

    /** Returns {@code input -> pinned}. */
    @Override
    public String toString() {
      return input + " -> " + index.pinned();
    }
  }

  /**
   * A reference that did not resolve.
   *
   * @param input the reference text as given
   * @param failure why: an {@link InvalidReferenceException} or an {@link java.io.IOException}
   */
  record Failed(String input, Exception failure) implements ResolveResult {
    /** Checks that neither part is missing. */
    public Failed {
      Objects.requireNonNull(input, "input");
      Objects.requireNonNull(failure, "failure");
    }

    /** Returns {@code input -> error: message}. */
    @Override
    public String toString() {
      return input + " -> error: " + failure.getMessage();
    }
  }
}
