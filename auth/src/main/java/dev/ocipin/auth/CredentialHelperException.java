package dev.ocipin.auth;

import java.util.OptionalInt;

/**
 * Thrown when a credential helper ({@code docker-credential-NAME}) fails: it exits with an error
 * other than "credentials not found", times out, or prints something that is not the expected JSON.
 *
 * <p>The message carries the helper name, the exit code and one truncated line of what the helper
 * printed, with anything that looks like a secret removed. The helper's stderr is never included.
 */
public final class CredentialHelperException extends CredentialException {
  private static final long serialVersionUID = 1L;

  private final String helper;
  private final int exitCode;

  /**
   * Creates an exception for {@code helper}.
   *
   * @param helper the helper program, such as {@code docker-credential-gcloud}
   * @param exitCode the exit code, or -1 when the helper did not exit (timeout, not started)
   * @param message what happened; without secrets
   */
  public CredentialHelperException(String helper, int exitCode, String message) {
    super(message);
    this.helper = helper;
    this.exitCode = exitCode;
  }

  /** Returns the helper program name, such as {@code docker-credential-gcloud}. */
  public String helper() {
    return helper;
  }

  /** Returns the exit code, or empty when the helper did not exit by itself. */
  public OptionalInt exitCode() {
    return exitCode < 0 ? OptionalInt.empty() : OptionalInt.of(exitCode);
  }
}
