package dev.ocipin.registry;

import java.util.List;

/**
 * Thrown when the registry has no such manifest or repository (HTTP 404, {@code MANIFEST_UNKNOWN}
 * or {@code NAME_UNKNOWN}). The message names the reference.
 */
public final class ManifestNotFoundException extends RegistryException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message what was not found
   * @param errors the registry's error entries
   */
  ManifestNotFoundException(String message, List<RegistryError> errors) {
    super(message, 404, errors, null);
  }
}
