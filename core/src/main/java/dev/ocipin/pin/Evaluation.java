package dev.ocipin.pin;

import dev.ocipin.Digest;
import dev.ocipin.ImageReference;
import dev.ocipin.Platform;
import dev.ocipin.internal.http.Futures;
import dev.ocipin.pin.CheckEntry.Status;
import dev.ocipin.registry.ManifestNotFoundException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Works out, for one reference, what it is pinned to, what it should be pinned to now, and its
 * drift status. Shares registry answers between references of one run.
 */
final class Evaluation {
  /** The outcome for one reference. */
  record Outcome(Status status, @Nullable Digest pinned, @Nullable Digest target, String detail) {}

  private final Lookup lookup;
  private final ConcurrentHashMap<String, CompletableFuture<?>> memo = new ConcurrentHashMap<>();

  Evaluation(Lookup lookup) {
    this.lookup = lookup;
  }

  @SuppressWarnings("unchecked")
  private <T> CompletableFuture<T> once(
      String key, java.util.function.Supplier<CompletableFuture<T>> f) {
    return (CompletableFuture<T>) memo.computeIfAbsent(key, k -> f.get());
  }

  private CompletableFuture<dev.ocipin.model.Descriptor> head(ImageReference ref) {
    return once("head " + ref, () -> lookup.head(ref));
  }

  /**
   * Evaluates {@code ref}. With {@code platform} (per-platform mode) the target is that platform's
   * manifest; without, the index digest. Never fails: failures become ERROR or NOT_FOUND outcomes.
   */
  CompletableFuture<Outcome> evaluate(ImageReference ref, @Nullable Platform platform) {
    Digest pinned = ref.digest().orElse(null);
    ImageReference tagRef = ref.withoutDigest();
    CompletableFuture<Outcome> result;
    if (ref.tag().isEmpty() && pinned != null) {
      result =
          head(ref)
              .thenApply(
                  d ->
                      new Outcome(
                          Status.PINNED_CURRENT,
                          pinned,
                          pinned,
                          "pinned by digest only; no tag to follow"));
    } else if (pinned == null) {
      result =
          target(tagRef, platform)
              .thenApply(
                  t ->
                      new Outcome(
                          Status.UNPINNED, null, t, platform == null ? "" : "for " + platform));
    } else {
      result = drift(tagRef, pinned, platform);
    }
    return result.exceptionally(
        e -> {
          Throwable c = Futures.unwrap(e);
          if (c instanceof ManifestNotFoundException) {
            return new Outcome(Status.NOT_FOUND, pinned, null, c.getMessage());
          }
          return new Outcome(
              Status.ERROR, pinned, null, c.getMessage() == null ? c.toString() : c.getMessage());
        });
  }

  private CompletableFuture<Digest> target(ImageReference tagRef, @Nullable Platform platform) {
    if (platform == null) {
      return head(tagRef).thenApply(dev.ocipin.model.Descriptor::digest);
    }
    return once("platform " + tagRef + " " + platform, () -> lookup.platform(tagRef, platform))
        .thenApply(dev.ocipin.model.Descriptor::digest);
  }

  private CompletableFuture<Outcome> drift(
      ImageReference tagRef, Digest pinned, @Nullable Platform platform) {
    return head(tagRef)
        .thenCompose(
            current -> {
              if (current.digest().equals(pinned)) {
                return done(new Outcome(Status.PINNED_CURRENT, pinned, pinned, ""));
              }
              if (!current.mediaType().isIndex() && platform == null) {
                return done(drifted(pinned, current.digest()));
              }
              ImageReference byDigest = tagRef.withDigest(current.digest());
              return once("index " + byDigest, () -> lookup.index(byDigest))
                  .thenCompose(
                      idx -> {
                        if (idx.manifests().stream().anyMatch(d -> d.digest().equals(pinned))) {
                          // A per-platform pin of the index the tag names now: current.
                          return done(
                              new Outcome(
                                  Status.PINNED_CURRENT, pinned, pinned, "per-platform pin"));
                        }
                        if (!idx.isIndex()) {
                          return done(drifted(pinned, current.digest()));
                        }
                        // Drifted. A per-platform pin stays per-platform: find its platform.
                        return wasPerPlatform(tagRef, pinned, platform)
                            .thenApply(
                                p -> {
                                  if (p.isEmpty()) {
                                    return drifted(pinned, idx.digest());
                                  }
                                  return ((dev.ocipin.model.ImageIndex) idx.manifest())
                                      .select(p.get())
                                      .map(d -> drifted(pinned, d.digest()))
                                      .orElse(
                                          new Outcome(
                                              Status.ERROR,
                                              pinned,
                                              null,
                                              "drifted, and the tag no longer has an image for "
                                                  + p.get()));
                                });
                      });
            });
  }

  /** The platform of a pinned per-platform manifest; empty when the pin is of an index. */
  private CompletableFuture<Optional<Platform>> wasPerPlatform(
      ImageReference tagRef, Digest pinned, @Nullable Platform platform) {
    ImageReference old = tagRef.withDigest(pinned);
    return head(old)
        .thenCompose(
            d -> {
              if (d.mediaType().isIndex()) {
                return CompletableFuture.completedFuture(Optional.<Platform>empty());
              }
              if (platform != null) {
                return CompletableFuture.completedFuture(Optional.of(platform));
              }
              return lookup.platformOf(old);
            })
        .exceptionally(
            e -> {
              // The old manifest is gone from the registry: fall back to what the user asked.
              return Optional.ofNullable(platform);
            });
  }

  private static Outcome drifted(Digest pinned, Digest now) {
    return new Outcome(Status.DRIFTED, pinned, now, "tag moved from " + pinned + " to " + now);
  }

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
