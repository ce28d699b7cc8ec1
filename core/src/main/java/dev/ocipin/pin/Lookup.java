package dev.ocipin.pin;

import dev.ocipin.Digest;
import dev.ocipin.DigestResolver;
import dev.ocipin.ImageReference;
import dev.ocipin.Platform;
import dev.ocipin.model.Descriptor;
import dev.ocipin.model.ImageIndex;
import dev.ocipin.model.ImageManifest;
import dev.ocipin.model.Manifest;
import dev.ocipin.model.Manifests;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The registry questions pinning asks; a seam so golden-file tests can answer from memory. */
interface Lookup {
  /** HEAD: the digest and media type a reference names. */
  CompletableFuture<Descriptor> head(ImageReference ref);

  /** An index or single manifest, and its digest. */
  record Fetched(Digest digest, Manifest manifest) {
    boolean isIndex() {
      return manifest instanceof ImageIndex;
    }

    List<Descriptor> manifests() {
      return isIndex() ? ((ImageIndex) manifest).manifests() : List.of();
    }
  }

  /** GET: the index (or single manifest) a reference names. */
  CompletableFuture<Fetched> index(ImageReference ref);

  /** The manifest {@code docker pull --platform} would pick, as a descriptor with platform. */
  CompletableFuture<Descriptor> platform(ImageReference ref, Platform platform);

  /** The platform of a single image manifest, from its config; empty for artifacts. */
  CompletableFuture<Optional<Platform>> platformOf(ImageReference manifest);

  /** Answers with a real resolver. */
  static Lookup of(DigestResolver resolver) {
    return new Lookup() {
      @Override
      public CompletableFuture<Descriptor> head(ImageReference ref) {
        return resolver.registryClient().head(ref);
      }

      @Override
      public CompletableFuture<Fetched> index(ImageReference ref) {
        return resolver
            .resolveIndexAsync(ref)
            .thenApply(i -> new Fetched(i.digest(), i.manifest()));
      }

      @Override
      public CompletableFuture<Descriptor> platform(ImageReference ref, Platform platform) {
        return resolver
            .resolveAsync(ref, platform)
            .thenApply(
                m ->
                    Descriptor.builder()
                        .digest(m.digest())
                        .mediaType(m.mediaType())
                        .size(m.size())
                        .platform(m.platform())
                        .build());
      }

      @Override
      public CompletableFuture<Optional<Platform>> platformOf(ImageReference manifest) {
        return resolver
            .registryClient()
            .get(manifest)
            .thenCompose(
                m ->
                    m.manifest() instanceof ImageManifest
                        ? resolver
                            .registryClient()
                            .blob(
                                manifest,
                                ((ImageManifest) m.manifest()).config().digest(),
                                Manifests.MAX_CONFIG_BYTES)
                            .thenApply(Manifests::platformOfConfig)
                        : CompletableFuture.completedFuture(Optional.empty()));
      }
    };
  }
}
