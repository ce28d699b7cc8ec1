package dev.ocipin;

import dev.ocipin.model.Descriptor;
import dev.ocipin.model.ImageIndex;
import dev.ocipin.model.Manifest;
import dev.ocipin.model.MediaType;
import java.util.List;
import org.immutables.value.Value;

/**
 * What a tag resolves to: the digest of its image index (or of its single manifest), with each
 * platform's manifest and the BuildKit attestations, in index order.
 *
 * <p>{@link #pinned()} is the reference to write into a Dockerfile: the tag kept as a hint for the
 * reader, the digest added. Instances are immutable and thread-safe.
 */
@Value.Immutable
public abstract class ResolvedIndex {
  ResolvedIndex() {}

  static ResolvedIndex of(
      ImageReference reference, Digest digest, MediaType mediaType, long size, Manifest manifest) {
    return ImmutableResolvedIndex.builder()
        .reference(reference)
        .digest(digest)
        .mediaType(mediaType)
        .size(size)
        .manifest(manifest)
        .build();
  }

  /** Returns the reference that was resolved, normalised. */
  public abstract ImageReference reference();

  /**
   * Returns the digest of what the reference names: the index, or the single manifest when the tag
   * has no index.
   */
  public abstract Digest digest();

  /** Returns the media type of what the reference names. */
  public abstract MediaType mediaType();

  /** Returns the size in bytes of the index or manifest. */
  public abstract long size();

  /** Returns the index or manifest itself. */
  public abstract Manifest manifest();

  /** Returns whether the reference names an index; false for a single-platform tag. */
  public boolean isIndex() {
    return manifest() instanceof ImageIndex;
  }

  /** Returns every entry of the index, in order; empty when the tag names a single manifest. */
  public List<Descriptor> manifests() {
    return isIndex() ? ((ImageIndex) manifest()).manifests() : List.of();
  }

  /** Returns the runnable platform images, in index order; empty for a single manifest. */
  public List<Descriptor> images() {
    return isIndex() ? ((ImageIndex) manifest()).images() : List.of();
  }

  /** Returns the BuildKit attestation entries, in index order. */
  public List<Descriptor> attestations() {
    return isIndex() ? ((ImageIndex) manifest()).attestations() : List.of();
  }

  /**
   * Returns the reference with its tag kept and this digest added, such as {@code
   * docker.io/library/ruby:3.3.0-slim@sha256:...}.
   */
  public ImageReference pinned() {
    return reference().withDigest(digest());
  }

  /** Returns the pinned reference and what it contains. */
  @Override
  public String toString() {
    return pinned()
        + " ("
        + mediaType()
        + (isIndex()
            ? ", " + images().size() + " images, " + attestations().size() + " attestations"
            : "")
        + ")";
  }
}
