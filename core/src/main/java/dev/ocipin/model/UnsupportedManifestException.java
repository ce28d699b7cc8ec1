package dev.ocipin.model;

/**
 * Thrown for a well-formed manifest of a kind ocipin does not support, such as a deprecated Docker
 * schema 1 manifest or a media type that is neither an index nor an image manifest.
 */
public class UnsupportedManifestException extends InvalidManifestException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with {@code message}.
   *
   * @param message what kind of manifest it was, and what to do instead
   */
  public UnsupportedManifestException(String message) {
    super(message);
  }
}
