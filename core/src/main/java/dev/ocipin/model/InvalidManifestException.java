package dev.ocipin.model;

import java.io.IOException;

/**
 * Thrown when bytes that should be a manifest are not one: malformed JSON, a wrong schema version,
 * a missing or malformed field, or a body whose media type contradicts its Content-Type.
 *
 * <p>The message names the field or position at fault. It never quotes more than a short prefix of
 * the body.
 */
public class InvalidManifestException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with {@code message}.
   *
   * @param message what was wrong, naming the field or position
   */
  public InvalidManifestException(String message) {
    super(message);
  }

  /**
   * Creates an exception with {@code message} and its {@code cause}.
   *
   * @param message what was wrong, naming the field or position
   * @param cause the underlying failure
   */
  public InvalidManifestException(String message, Throwable cause) {
    super(message, cause);
  }
}
