package dev.ocipin.model;

import dev.ocipin.Platform;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/**
 * An image index (OCI) or manifest list (Docker): one manifest per platform, plus BuildKit
 * attestations.
 *
 * <p>Docker Hub's official images are OCI indexes whose entries are Docker schema 2 manifests, half
 * of them attestations: {@link #images()} and {@link #attestations()} tell them apart. Indexes are
 * immutable and thread-safe.
 */
@Value.Immutable
public abstract non-sealed class ImageIndex implements Manifest {
  ImageIndex() {}

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link ImageIndex}. */
  public static final class Builder extends ImmutableImageIndex.Builder {
    Builder() {}
  }

  @Override
  @Value.Default
  public int schemaVersion() {
    return 2;
  }

  /** Returns every entry, in index order. */
  public abstract List<Descriptor> manifests();

  /** Returns the entries that are runnable images, not attestations, in index order. */
  @Value.Lazy
  public List<Descriptor> images() {
    return manifests().stream().filter(d -> !d.isAttestation()).toList();
  }

  /** Returns the BuildKit attestation entries, in index order. */
  @Value.Lazy
  public List<Descriptor> attestations() {
    return manifests().stream().filter(Descriptor::isAttestation).toList();
  }

  /**
   * Selects the image that {@code docker pull --platform} would pick for {@code platform}: the
   * exact match if there is one, else the best compatible fallback, with ties going to the earlier
   * entry. Attestations, entries without a platform and entries whose digest has an algorithm
   * ocipin cannot verify ({@link dev.ocipin.Digest#isSupported()}) are never chosen. The entry may
   * itself be an index (a nested index), which the caller then follows.
   */
  public Optional<Descriptor> select(Platform platform) {
    Descriptor best = null;
    int bestRank = Integer.MAX_VALUE;
    for (Descriptor d : images()) {
      if (d.platform().isEmpty() || !d.digest().isSupported()) {
        continue;
      }
      OptionalInt rank = platform.rank(d.platform().get());
      if (rank.isPresent() && rank.getAsInt() < bestRank) {
        best = d;
        bestRank = rank.getAsInt();
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * Selects the image for exactly {@code platform} after normalisation, with no fallback to
   * compatible platforms.
   */
  Optional<Descriptor> selectExact(Platform platform) {
    return images().stream()
        .filter(d -> d.platform().map(platform::matchesExactly).orElse(false))
        .findFirst();
  }
}
