package dev.ocipin;

import dev.ocipin.model.MediaType;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * The one platform's manifest that {@code docker pull --platform} would pick for a tag.
 *
 * <p>{@link #pinned()} pins this platform's manifest, which serves only this platform; pin {@link
 * ResolvedIndex#pinned()} for multi-platform builds. Instances are immutable and thread-safe.
 */
@Value.Immutable
public abstract class ResolvedManifest {
  ResolvedManifest() {}

  static ImmutableResolvedManifest.Builder builder() {
    return ImmutableResolvedManifest.builder();
  }

  /** Returns the reference that was resolved, normalised. */
  public abstract ImageReference reference();

  /** Returns the digest of the platform's manifest. */
  public abstract Digest digest();

  /** Returns the media type of the platform's manifest. */
  public abstract MediaType mediaType();

  /** Returns the size in bytes of the platform's manifest. */
  public abstract long size();

  /** Returns the platform of the chosen manifest, as the index or image config states it. */
  public abstract Platform platform();

  /** Returns the digest of the index the manifest was chosen from; empty for a single manifest. */
  public abstract Optional<Digest> indexDigest();

  /** Returns the reference with its tag kept and this manifest's digest added. */
  public ImageReference pinned() {
    return reference().withDigest(digest());
  }

  /** Returns the pinned reference and its platform. */
  @Override
  public String toString() {
    return pinned() + " (" + platform() + ")";
  }
}
