package dev.ocipin.pin;

import dev.ocipin.Digest;
import dev.ocipin.ImageReference;
import dev.ocipin.Platform;
import dev.ocipin.model.Descriptor;
import dev.ocipin.model.ImageIndex;
import dev.ocipin.model.ImageManifest;
import dev.ocipin.model.Manifest;
import dev.ocipin.model.MediaType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory registry for golden-file tests, with readable digests: an index with code {@code a1}
 * has digest {@code sha256:a1a1...a1}, and its platform children {@code a1c0a1c0...} (amd64),
 * {@code a1c1...} (arm64/v8), {@code a1c2...} (arm/v7). Counts the calls, split into HEADs and
 * GETs.
 */
final class FakeRegistry implements Lookup {
  static final List<Platform> PLATFORMS =
      List.of(
          Platform.of("linux", "amd64"),
          Platform.of("linux", "arm64", "v8"),
          Platform.of("linux", "arm", "v7"));

  private final Map<String, String> tags = new ConcurrentHashMap<>(); // canonical ref -> code
  private final Map<String, String> singles =
      new ConcurrentHashMap<>(); // code -> single-manifest platform
  final AtomicInteger heads = new AtomicInteger();
  final AtomicInteger gets = new AtomicInteger();

  static Digest index(String code) {
    return Digest.parse("sha256:" + code.repeat(32));
  }

  static Digest child(String code, int platform) {
    return Digest.parse("sha256:" + (code + "c" + platform).repeat(16));
  }

  FakeRegistry tag(String reference, String code) {
    tags.put(ImageReference.parse(reference).toString(), code);
    return this;
  }

  FakeRegistry single(String reference, String code) {
    singles.put(code, "linux/amd64");
    return tag(reference, code);
  }

  /** The standard content the golden files use. */
  static FakeRegistry standard() {
    return new FakeRegistry()
        .tag("ruby:3.3.0-slim", "a1")
        .tag("registry.docker.com/library/ruby:3.3.0-slim", "a1")
        .tag("ruby:3.3", "a2")
        .tag("alpine:3.19", "b1")
        .tag("golang:1.22", "c1")
        .tag("node:20", "d1")
        .tag("busybox", "f1")
        .tag("busybox:latest", "f1")
        .tag("debian:bookworm", "f2")
        .tag("ghcr.io/owner/builder:v1", "e2")
        .tag("python:3.12", "9a") // moved: it used to be 9b
        .single("ghcr.io/owner/tool:v1", "e1");
  }

  /** Every digest this registry knows, current and old, with what it names. */
  private Optional<Map.Entry<String, Integer>> byDigest(Digest d) {
    Map<String, Integer> all = new HashMap<>();
    for (String code : List.of("a1", "a2", "b1", "c1", "d1", "f1", "f2", "e1", "e2", "9a", "9b")) {
      all.put(index(code).toString(), -1);
      for (int i = 0; i < 3; i++) {
        all.put(child(code, i).toString(), i);
      }
    }
    Integer kind = all.get(d.toString());
    if (kind == null) {
      return Optional.empty();
    }
    String code = d.encoded().substring(0, 2);
    return Optional.of(Map.entry(code, kind));
  }

  private Manifest manifestOf(String code) {
    if (singles.containsKey(code)) {
      return ImageManifest.builder()
          .mediaType(MediaType.DOCKER_MANIFEST)
          .config(desc(MediaType.DOCKER_CONFIG, Digest.sha256(code.getBytes()), null))
          .build();
    }
    ImageIndex.Builder b = ImageIndex.builder().mediaType(MediaType.OCI_INDEX);
    for (int i = 0; i < PLATFORMS.size(); i++) {
      b.addManifests(desc(MediaType.DOCKER_MANIFEST, child(code, i), PLATFORMS.get(i)));
    }
    return b.build();
  }

  private static Descriptor desc(MediaType type, Digest d, Platform p) {
    Descriptor.Builder b = Descriptor.builder().mediaType(type).digest(d).size(1000);
    if (p != null) {
      b.platform(p);
    }
    return b.build();
  }

  private <T> CompletableFuture<T> notFound(ImageReference ref) {
    return CompletableFuture.failedFuture(
        dev.ocipin.registry.Failures.notFound("GET manifest " + ref));
  }

  /** The code of the index or single manifest a reference names now, or null. */
  private String codeOf(ImageReference ref) {
    if (ref.digest().isPresent()) {
      return byDigest(ref.digest().get())
          .filter(e -> e.getValue() < 0)
          .map(Map.Entry::getKey)
          .orElse(null);
    }
    return tags.get(ref.name() + ":" + ref.tag().orElse("latest"));
  }

  @Override
  public CompletableFuture<Descriptor> head(ImageReference ref) {
    heads.incrementAndGet();
    if (ref.digest().isPresent()) {
      Optional<Map.Entry<String, Integer>> e = byDigest(ref.digest().get());
      if (e.isEmpty()) {
        return notFound(ref);
      }
      boolean single = e.get().getValue() >= 0 || singles.containsKey(e.get().getKey());
      return CompletableFuture.completedFuture(
          desc(single ? MediaType.DOCKER_MANIFEST : MediaType.OCI_INDEX, ref.digest().get(), null));
    }
    String code = codeOf(ref);
    if (code == null) {
      return notFound(ref);
    }
    boolean single = singles.containsKey(code);
    return CompletableFuture.completedFuture(
        desc(single ? MediaType.DOCKER_MANIFEST : MediaType.OCI_INDEX, index(code), null));
  }

  @Override
  public CompletableFuture<Fetched> index(ImageReference ref) {
    gets.incrementAndGet();
    String code = codeOf(ref);
    if (code == null) {
      return notFound(ref);
    }
    return CompletableFuture.completedFuture(new Fetched(index(code), manifestOf(code)));
  }

  @Override
  public CompletableFuture<Descriptor> platform(ImageReference ref, Platform platform) {
    gets.incrementAndGet();
    String code = codeOf(ref);
    if (code == null) {
      return notFound(ref);
    }
    if (singles.containsKey(code)) {
      return platform.matches(Platform.parse(singles.get(code)))
          ? CompletableFuture.completedFuture(
              desc(MediaType.DOCKER_MANIFEST, index(code), Platform.parse(singles.get(code))))
          : CompletableFuture.failedFuture(
              new java.io.IOException(ref + " has no image for " + platform));
    }
    Optional<Descriptor> d = ((ImageIndex) manifestOf(code)).select(platform);
    return d.map(CompletableFuture::completedFuture)
        .orElseGet(
            () ->
                CompletableFuture.failedFuture(
                    new java.io.IOException(ref + " has no image for " + platform)));
  }

  @Override
  public CompletableFuture<Optional<Platform>> platformOf(ImageReference manifest) {
    gets.incrementAndGet();
    return CompletableFuture.completedFuture(
        byDigest(manifest.digest().orElseThrow())
            .filter(e -> e.getValue() >= 0)
            .map(e -> PLATFORMS.get(e.getValue())));
  }
}
