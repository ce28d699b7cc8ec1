package dev.ocipin.registry;

import dev.ocipin.Digest;
import dev.ocipin.ImageReference;
import dev.ocipin.internal.http.Futures;
import dev.ocipin.internal.http.SingleFlight;
import dev.ocipin.model.Descriptor;
import dev.ocipin.model.InvalidManifestException;
import dev.ocipin.model.MediaType;
import dev.ocipin.model.ParsedManifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A Registry HTTP API v2 client for manifests: HEAD for a digest, GET for the manifest itself.
 *
 * <p>Every request asks for all four manifest types (OCI index, Docker manifest list, OCI manifest,
 * Docker schema 2). Without the index types a registry answers a tag that names an index with one
 * platform's manifest, and its digest silently becomes a per-platform one.
 *
 * <p>Authentication follows the registry's challenge on demand: no {@code /v2/} ping, Basic or
 * Bearer tokens (cached per registry and scope), redirects followed by hand with credentials kept
 * to their origin. Every GET body is hashed and checked against {@code Docker-Content-Digest} and
 * against the digest the reference asked for.
 *
 * <p>Clients are immutable and thread-safe; share one. {@link #close()} releases the threads and
 * connections a client built for itself; a long-lived client may stay open for the life of the
 * process.
 */
public final class RegistryClient implements AutoCloseable {
  /** The Accept header value sent with every manifest request. */
  static final String MANIFEST_ACCEPT =
      String.join(
          ", ",
          MediaType.OCI_INDEX.toString(),
          MediaType.DOCKER_MANIFEST_LIST.toString(),
          MediaType.OCI_MANIFEST.toString(),
          MediaType.DOCKER_MANIFEST.toString());

  private final Transport transport;
  private final EndpointRouter router;
  private final long maxManifestBytes;
  private final ManifestCache cache;
  // Identical requests in flight are shared.
  private final SingleFlight<String> inFlight = new SingleFlight<>();

  private final boolean verifyDigests;
  private final Resources resources;
  private final Layouts layouts;
  private final EndpointCalls calls;

  RegistryClient(
      Transport transport,
      Map<String, List<String>> mirrors,
      Layouts layouts,
      long maxManifestBytes,
      int cacheSize,
      long cacheBytes,
      boolean verifyDigests,
      Resources resources) {
    this.resources = resources;
    this.layouts = layouts;
    this.transport = transport;
    this.verifyDigests = verifyDigests;
    this.router =
        new EndpointRouter(
            mirrors,
            transport.config().insecureRegistries(),
            transport.config().clients().explicitTls());
    this.maxManifestBytes = maxManifestBytes;
    this.calls = new EndpointCalls(transport, maxManifestBytes);
    this.cache = new ManifestCache(cacheSize, cacheBytes);
  }

  /** Returns a builder with the defaults: the default credential chain, 4 MiB manifests. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link RegistryClient}. */
  public static final class Builder extends RegistryOptions<Builder> {
    Builder() {}

    /** Builds the client. */
    public RegistryClient build() {
      return buildClient();
    }
  }

  /**
   * Returns the descriptor (media type, digest, size) of what {@code ref} names, with a HEAD
   * request: the cheapest path, and Docker Hub does not count it as a pull. Falls back to GET when
   * HEAD answers 405 or sends no {@code Docker-Content-Digest}. A reference without tag or digest
   * asks for {@code latest}.
   *
   * <p>Does not block; the future fails with a {@link RegistryException} or another {@link
   * java.io.IOException}.
   */
  public CompletableFuture<Descriptor> head(ImageReference ref) {
    resources.checkOpen();
    return layouts.answer(
        ref,
        layout -> layout.manifest(ref, maxManifestBytes).descriptor(),
        () -> headFromRegistry(ref));
  }

  private CompletableFuture<Descriptor> headFromRegistry(ImageReference ref) {
    if (verifyDigests) {
      return Futures.map(get(ref), ParsedManifest::descriptor);
    }
    return inFlight.join(
        "HEAD " + ref,
        c -> router.firstSuccess(ref, endpoint -> calls.head(endpoint, ref, null, c)));
  }

  /**
   * Fetches the manifest {@code ref} names and checks its digest against {@code
   * Docker-Content-Digest} and against the reference's own digest, if it has one.
   *
   * <p>Does not block; the future fails with a {@link DigestMismatchException}, {@link
   * ManifestTooLargeException}, another {@link RegistryException} or an {@link
   * InvalidManifestException}.
   */
  public CompletableFuture<ParsedManifest> get(ImageReference ref) {
    resources.checkOpen();
    return layouts.answer(
        ref, layout -> layout.manifest(ref, maxManifestBytes), () -> get(ref, null));
  }

  private CompletableFuture<ParsedManifest> get(
      ImageReference ref, @Nullable Supplier<CompletableFuture<Void>> beforeRetry) {
    Optional<Digest> asked = ref.digest();
    if (asked.isPresent()) {
      Optional<ParsedManifest> cached = cache.get(asked.get());
      if (cached.isPresent()) {
        return CompletableFuture.completedFuture(cached.get());
      }
    } else {
      if (cache.digestOfTag(ref.toString()).flatMap(cache::get).isPresent()) {
        // A tag fetched before: one HEAD tells whether it still names the cached manifest.
        return Futures.compose(
            inFlight.join(
                "HEAD " + ref,
                c -> router.firstSuccess(ref, e -> calls.head(e, ref, beforeRetry, c))),
            d -> {
              Optional<ParsedManifest> now = cache.get(d.digest());
              return now.isPresent()
                  ? CompletableFuture.completedFuture(now.get())
                  : Futures.map(fetch(ref.withDigest(d.digest()), null), m -> remember(ref, m));
            });
      }
    }
    return Futures.map(fetch(ref, beforeRetry), m -> remember(ref, m));
  }

  private CompletableFuture<ParsedManifest> fetch(
      ImageReference ref, @Nullable Supplier<CompletableFuture<Void>> beforeRetry) {
    return inFlight.join(
        "GET " + ref,
        c -> router.firstSuccess(ref, endpoint -> calls.get(endpoint, ref, beforeRetry, c)));
  }

  private ParsedManifest remember(ImageReference ref, ParsedManifest m) {
    cache.put(ref.digest().isEmpty() ? Optional.of(ref.toString()) : Optional.empty(), m);
    return m;
  }

  /**
   * Fetches many manifests with the fewest round trips: for each registry whose challenge is not
   * yet known, one request learns it while the others wait; then pull tokens for all their
   * repositories are fetched several scopes per token request; then the manifests are fetched
   * concurrently (at most the per-registry limit at once). Each future succeeds or fails on its
   * own.
   */
  public List<CompletableFuture<ParsedManifest>> getAll(List<ImageReference> refs) {
    resources.checkOpen();
    List<CompletableFuture<ParsedManifest>> out = new ArrayList<>(refs.size());
    Map<String, List<Integer>> byRegistry = new LinkedHashMap<>();
    for (int i = 0; i < refs.size(); i++) {
      out.add(null);
      if (layouts.layoutFor(refs.get(i)).isPresent()) {
        out.set(i, get(refs.get(i)));
        continue;
      }
      byRegistry.computeIfAbsent(refs.get(i).registry(), k -> new ArrayList<>()).add(i);
    }
    for (Map.Entry<String, List<Integer>> group : byRegistry.entrySet()) {
      Endpoint endpoint = router.endpoint(group.getKey());
      List<String> repos = new ArrayList<>();
      for (int i : group.getValue()) {
        ImageReference r = refs.get(i);
        if (r.digest().isEmpty() || !cache.contains(r.digest().get())) {
          repos.add(r.repository());
        }
      }
      boolean mirrored = router.isMirrored(group.getKey());
      if (mirrored || repos.isEmpty()) {
        group.getValue().forEach(i -> out.set(i, get(refs.get(i))));
        continue;
      }
      CompletableFuture<Void> gate;
      int first = group.getValue().get(0);
      if (transport.knowsChallenge(endpoint.registry())) {
        gate = transport.prefetchTokens(endpoint, repos);
        out.set(first, Futures.after(gate, () -> get(refs.get(first))));
      } else {
        CompletableFuture<Void> prefetched = new CompletableFuture<>();
        CompletableFuture<ParsedManifest> probe =
            get(
                refs.get(first),
                () -> {
                  CompletableFuture<Void> p = transport.prefetchTokens(endpoint, repos);
                  p.whenComplete((v, e) -> prefetched.complete(null));
                  return p;
                });
        probe.whenComplete((v, e) -> prefetched.complete(null));
        out.set(first, probe);
        gate = prefetched;
      }
      for (int i : group.getValue().subList(1, group.getValue().size())) {
        ImageReference r = refs.get(i);
        out.set(i, Futures.after(gate, () -> get(r)));
      }
    }
    return out;
  }

  /**
   * Fetches blob {@code digest} of {@code ref}'s repository, reading at most {@code maxBytes}, and
   * checks that the bytes hash to {@code digest}.
   */
  public CompletableFuture<byte[]> blob(ImageReference ref, Digest digest, long maxBytes) {
    resources.checkOpen();
    return layouts.answer(
        ref,
        layout -> layout.blob(digest, maxBytes),
        () -> blobFromRegistry(ref, digest, maxBytes));
  }

  private CompletableFuture<byte[]> blobFromRegistry(
      ImageReference ref, Digest digest, long maxBytes) {
    return inFlight.join(
        "BLOB " + ref.name() + "@" + digest + " " + maxBytes,
        cancel ->
            router.firstSuccess(
                ref, endpoint -> calls.blob(endpoint, ref, digest, maxBytes, cancel)));
  }

  /**
   * Releases what this client built for itself: its HTTP clients (on JDK 21 and later at once; on
   * JDK 17 their threads end when they are collected) and its credential-lookup threads. An {@code
   * HttpClient} or executor the caller supplied is left alone. Later calls throw {@link
   * IllegalStateException}; closing again does nothing. Exchanges in flight are aborted.
   */
  @Override
  public void close() {
    resources.close();
  }

  /** Returns the estimated heap the cached manifests hold, for tests of its bound. */
  long cachedWeight() {
    return cache.weight();
  }

  /** Returns how many manifests the cache holds, for tests of its bound. */
  int cachedManifests() {
    return cache.size();
  }
}
