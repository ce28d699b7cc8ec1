package dev.ocipin.registry;

import java.util.List;

/** The registry exceptions that fakes in other packages throw, whose constructors are not API. */
public final class Failures {
  private Failures() {}

  /** Returns the exception a registry's 404 for {@code what} becomes. */
  public static ManifestNotFoundException notFound(String what) {
    return new ManifestNotFoundException(what + ": not found (MANIFEST_UNKNOWN)", List.of());
  }
}
