package dev.ocipin.model;

import java.util.Locale;
import java.util.Objects;

/**
 * A media type such as {@code application/vnd.oci.image.index.v1+json}.
 *
 * <p>Unknown types are kept as they are, never rejected. {@link #of(String)} drops parameters such
 * as {@code ; charset=utf-8} and surrounding whitespace, keeps the spelling, and compares
 * case-insensitively, as RFC 6838 says media types are. Media types are immutable values.
 */
public final class MediaType {
  /** The OCI image index. */
  public static final MediaType OCI_INDEX =
      new MediaType("application/vnd.oci.image.index.v1+json");

  /** The OCI image manifest. */
  public static final MediaType OCI_MANIFEST =
      new MediaType("application/vnd.oci.image.manifest.v1+json");

  /** The Docker manifest list, Docker's form of an index. */
  public static final MediaType DOCKER_MANIFEST_LIST =
      new MediaType("application/vnd.docker.distribution.manifest.list.v2+json");

  /** The Docker image manifest, schema 2. */
  public static final MediaType DOCKER_MANIFEST =
      new MediaType("application/vnd.docker.distribution.manifest.v2+json");

  /** The deprecated Docker schema 1 manifest, unsigned. */
  public static final MediaType DOCKER_SCHEMA1 =
      new MediaType("application/vnd.docker.distribution.manifest.v1+json");

  /** The deprecated Docker schema 1 manifest, signed. */
  public static final MediaType DOCKER_SCHEMA1_SIGNED =
      new MediaType("application/vnd.docker.distribution.manifest.v1+prettyjws");

  /** The OCI image configuration. */
  public static final MediaType OCI_CONFIG =
      new MediaType("application/vnd.oci.image.config.v1+json");

  /** The Docker container image configuration. */
  public static final MediaType DOCKER_CONFIG =
      new MediaType("application/vnd.docker.container.image.v1+json");

  /** An OCI layer, uncompressed tar. */
  public static final MediaType OCI_LAYER = new MediaType("application/vnd.oci.image.layer.v1.tar");

  /** An OCI layer, gzip-compressed tar. */
  public static final MediaType OCI_LAYER_GZIP =
      new MediaType("application/vnd.oci.image.layer.v1.tar+gzip");

  /** An OCI layer, zstd-compressed tar. */
  public static final MediaType OCI_LAYER_ZSTD =
      new MediaType("application/vnd.oci.image.layer.v1.tar+zstd");

  /** A Docker layer, gzip-compressed tar. */
  public static final MediaType DOCKER_LAYER_GZIP =
      new MediaType("application/vnd.docker.image.rootfs.diff.tar.gzip");

  /** A Docker foreign (non-distributable) layer, gzip-compressed tar. */
  public static final MediaType DOCKER_FOREIGN_LAYER_GZIP =
      new MediaType("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip");

  /** The OCI empty descriptor's type, for artifacts without a config. */
  public static final MediaType OCI_EMPTY = new MediaType("application/vnd.oci.empty.v1+json");

  /** An in-toto attestation statement, as BuildKit stores provenance and SBOMs. */
  public static final MediaType IN_TOTO = new MediaType("application/vnd.in-toto+json");

  private final String value;

  private MediaType(String value) {
    this.value = value;
  }

  /**
   * Returns the media type for {@code text}, without parameters or surrounding whitespace.
   *
   * @throws IllegalArgumentException when the text is blank
   */
  public static MediaType of(String text) {
    Objects.requireNonNull(text, "text");
    int semicolon = text.indexOf(';');
    String bare = (semicolon < 0 ? text : text.substring(0, semicolon)).trim();
    if (bare.isEmpty()) {
      throw new IllegalArgumentException("media type is blank: \"" + text + "\"");
    }
    return new MediaType(bare);
  }

  /** Returns whether this is an index type: the OCI image index or the Docker manifest list. */
  public boolean isIndex() {
    return equals(OCI_INDEX) || equals(DOCKER_MANIFEST_LIST);
  }

  /** Returns whether this is an image manifest type: OCI or Docker schema 2. */
  public boolean isManifest() {
    return equals(OCI_MANIFEST) || equals(DOCKER_MANIFEST);
  }

  /** Returns whether this is a deprecated Docker schema 1 type. */
  public boolean isSchema1() {
    return equals(DOCKER_SCHEMA1) || equals(DOCKER_SCHEMA1_SIGNED);
  }

  /** Returns the media type text, such as {@code application/vnd.oci.image.index.v1+json}. */
  @Override
  public String toString() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MediaType && ((MediaType) o).value.equalsIgnoreCase(value);
  }

  @Override
  public int hashCode() {
    return value.toLowerCase(Locale.ROOT).hashCode();
  }
}
