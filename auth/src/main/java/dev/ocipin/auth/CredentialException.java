package dev.ocipin.auth;

import java.io.IOException;

/**
 * Thrown when a credential source exists but cannot be used: a malformed config file, bad base64 in
 * {@code auth}, or a credential helper that fails. The message names the file or helper and what
 * was wrong, and never contains a secret.
 */
public class CredentialException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with {@code message}.
   *
   * @param message what failed, where, and why; without secrets
   */
  public CredentialException(String message) {
    super(message);
  }

  /**
   * Creates an exception with {@code message} and its {@code cause}.
   *
   * @param message what failed, where, and why; without secrets
   * @param cause the underlying failure
   */
  public CredentialException(String message, Throwable cause) {
    super(message, cause);
  }
}
