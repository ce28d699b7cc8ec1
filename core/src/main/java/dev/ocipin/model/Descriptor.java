package dev.ocipin.model;

import dev.ocipin.Digest;
import dev.ocipin.Platform;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * An OCI content descriptor: what a manifest or index points to, by media type, digest and size.
 *
 * <p>Build one with {@link #builder()}. Descriptors are immutable and thread-safe.
 */
@Value.Immutable
public abstract class Descriptor {
  /** The annotation BuildKit sets on attestation manifests: {@value}. */
  public static final String REFERENCE_TYPE_ANNOTATION = "vnd.docker.reference.type";

  /** The value of {@link #REFERENCE_TYPE_ANNOTATION} on attestation manifests: {@value}. */
  public static final String ATTESTATION_MANIFEST = "attestation-manifest";

  /** The annotation that names the image an attestation is about: {@value}. */
  public static final String REFERENCE_DIGEST_ANNOTATION = "vnd.docker.reference.digest";

  Descriptor() {}

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Descriptor}; media type, digest and size are required. */
  public static final class Builder extends ImmutableDescriptor.Builder {
    Builder() {}
  }

  /** Returns the media type of the content. */
  public abstract MediaType mediaType();

  /** Returns the digest of the content. */
  public abstract Digest digest();

  /** Returns the size of the content in bytes. */
  public abstract long size();

  /** Returns URLs the content may also be fetched from; usually empty. */
  public abstract List<String> urls();

  /** Returns the annotations, in the order they were given. */
  public abstract Map<String, String> annotations();

  /** Returns the platform of the image, for entries of an index. */
  public abstract Optional<Platform> platform();

  /** Returns the artifact type, for descriptors of artifacts. */
  public abstract Optional<String> artifactType();

  /** Returns the embedded content as base64 text, exactly as it was written. */
  public abstract Optional<String> data();

  /**
   * Decodes the embedded content.
   *
   * @throws IllegalArgumentException when {@link #data()} is not valid base64
   */
  Optional<byte[]> decodedData() {
    return data().map(d -> Base64.getDecoder().decode(d));
  }

  /**
   * Returns whether this entry is a BuildKit attestation manifest rather than a runnable image: it
   * carries {@code vnd.docker.reference.type=attestation-manifest}, or its platform is {@code
   * unknown/unknown}.
   */
  public boolean isAttestation() {
    return ATTESTATION_MANIFEST.equals(annotations().get(REFERENCE_TYPE_ANNOTATION))
        || platform().map(Platform::isUnknown).orElse(false);
  }

  /**
   * Returns the digest of the image that this attestation is about, from {@code
   * vnd.docker.reference.digest}; empty when absent or not a valid digest.
   */
  public Optional<Digest> attestedDigest() {
    String value = annotations().get(REFERENCE_DIGEST_ANNOTATION);
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Digest.parse(value));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  @Value.Check
  void check() {
    if (size() < 0) {
      throw new IllegalStateException("descriptor size must not be negative: " + size());
    }
  }
}
