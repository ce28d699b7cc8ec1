package dev.ocipin.registry;

import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a registry request fails. Subclasses tell apart the failures a caller may act on:
 * {@link ManifestNotFoundException}, {@link AuthenticationException}, {@link
 * DigestMismatchException}, {@link RateLimitedException} and {@link ManifestTooLargeException}.
 *
 * <p>The message says what was attempted, on what, and why it failed; it never contains a
 * credential or token.
 */
public class RegistryException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final List<RegistryError> errors;

  /**
   * Creates an exception.
   *
   * @param message what was attempted, on what, and why it failed
   * @param status the HTTP status, or 0 when no response was received
   * @param errors the registry's error entries; may be empty
   * @param cause the underlying failure, or {@code null}
   */
  public RegistryException(
      String message, int status, List<RegistryError> errors, @Nullable Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errors = List.copyOf(errors);
  }

  /**
   * Creates an exception without a response.
   *
   * @param message what was attempted, on what, and why it failed
   */
  public RegistryException(String message) {
    this(message, 0, List.of(), null);
  }

  /** Returns the HTTP status of the failing response, or empty when none was received. */
  public OptionalInt status() {
    return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
  }

  /** Returns the error entries of the registry's response body; empty when it had none. */
  public List<RegistryError> errors() {
    return errors;
  }
}
