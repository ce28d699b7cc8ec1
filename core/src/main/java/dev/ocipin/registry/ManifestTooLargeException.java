package dev.ocipin.registry;

/**
 * Thrown when a manifest body is larger than the configured cap (4 MiB by default). The body is
 * read no further than the cap.
 */
public final class ManifestTooLargeException extends RegistryException {
  private static final long serialVersionUID = 1L;

  private final long limit;

  /**
   * Creates an exception.
   *
   * @param message what was fetched, and the cap
   * @param limit the cap in bytes
   */
  ManifestTooLargeException(String message, long limit) {
    super(message);
    this.limit = limit;
  }

  /** Returns the cap in bytes that the body exceeded. */
  public long limit() {
    return limit;
  }
}
