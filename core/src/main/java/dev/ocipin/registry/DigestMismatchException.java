package dev.ocipin.registry;

import dev.ocipin.Digest;

/**
 * Thrown when the bytes a registry sent do not hash to the digest it claimed in {@code
 * Docker-Content-Digest}, or to the digest the reference asked for. Such bytes never become a pin.
 */
public final class DigestMismatchException extends RegistryException {
  private static final long serialVersionUID = 1L;

  private final Digest expected;
  private final Digest actual;

  /**
   * Creates an exception.
   *
   * @param message what was fetched, and which claim it failed
   * @param expected the digest claimed or asked for
   * @param actual the digest of the bytes received
   */
  DigestMismatchException(String message, Digest expected, Digest actual) {
    super(message);
    this.expected = expected;
    this.actual = actual;
  }

  /** Returns the digest that was claimed or asked for. */
  public Digest expected() {
    return expected;
  }

  /** Returns the digest of the bytes actually received. */
  public Digest actual() {
    return actual;
  }
}
