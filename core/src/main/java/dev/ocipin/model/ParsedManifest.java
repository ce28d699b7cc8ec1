package dev.ocipin.model;

import dev.ocipin.Digest;

/**
 * A manifest as a registry served it: the typed {@link Manifest}, its media type, and the digest of
 * exactly the bytes received.
 *
 * <p>The digest is computed over the raw bytes, never over re-serialized JSON, so it is the digest
 * that a registry, {@code docker pull} and {@code crane digest} report. Instances are immutable.
 */
public final class ParsedManifest {
  private final Manifest manifest;
  private final MediaType mediaType;
  private final Digest digest;
  private final byte[] bytes;

  ParsedManifest(Manifest manifest, MediaType mediaType, Digest digest, byte[] bytes) {
    this.manifest = manifest;
    this.mediaType = mediaType;
    this.digest = digest;
    this.bytes = bytes;
  }

  /** Returns the typed manifest. */
  public Manifest manifest() {
    return manifest;
  }

  /**
   * Returns the media type: the one in the body, else the Content-Type, else the OCI type that fits
   * the structure.
   */
  public MediaType mediaType() {
    return mediaType;
  }

  /**
   * Returns the digest of the bytes received: sha256, or the algorithm chosen with {@link
   * #digestedWith}.
   */
  public Digest digest() {
    return digest;
  }

  /**
   * Returns this manifest with its digest computed over the same bytes with {@code algorithm}, as a
   * registry or reference that uses sha512 names it.
   *
   * @throws IllegalArgumentException when the algorithm is not sha256 or sha512
   */
  public ParsedManifest digestedWith(String algorithm) {
    return algorithm.equals(digest.algorithm())
        ? this
        : new ParsedManifest(manifest, mediaType, Digest.of(algorithm, bytes), bytes);
  }

  /** Returns the size of the body in bytes. */
  public long size() {
    return bytes.length;
  }

  /** Returns a copy of the bytes received. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Returns whether the manifest is an index (or Docker manifest list). */
  public boolean isIndex() {
    return manifest instanceof ImageIndex;
  }

  /** Returns a descriptor of this manifest: its media type, digest and size. */
  public Descriptor descriptor() {
    return Descriptor.builder().mediaType(mediaType).digest(digest).size(bytes.length).build();
  }

  /** Returns {@code mediaType digest (size bytes)}. */
  @Override
  public String toString() {
    return mediaType + " " + digest + " (" + bytes.length + " bytes)";
  }
}
