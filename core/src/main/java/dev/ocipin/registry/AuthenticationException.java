package dev.ocipin.registry;

import java.util.List;

/**
 * Thrown when the registry or its token service refuses the credentials, or when access is denied
 * even with a fresh token. The message names the registry, the repository and where the credentials
 * came from, and gives a hint; it never contains the secret.
 */
public final class AuthenticationException extends RegistryException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message what was refused, with which credential source, and what to do
   * @param status the HTTP status, 401 or 403
   * @param errors the registry's error entries
   */
  AuthenticationException(String message, int status, List<RegistryError> errors) {
    super(message, status, errors, null);
  }
}
