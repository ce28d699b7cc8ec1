package dev.ocipin.registry;

import java.util.Objects;

/**
 * One entry of a registry's error body, {@code {"errors":[{"code":...,"message":...}]}}, as the
 * distribution specification defines it.
 *
 * @param code the error code, such as {@code MANIFEST_UNKNOWN}, {@code NAME_UNKNOWN}, {@code
 *     UNAUTHORIZED}, {@code DENIED} or {@code TOOMANYREQUESTS}
 * @param message the registry's message, cut to a safe length
 */
public record RegistryError(String code, String message) {
  /** Checks that neither part is null. */
  public RegistryError {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  /** Returns {@code CODE: message}. */
  @Override
  public String toString() {
    return message.isEmpty() ? code : code + ": " + message;
  }
}
