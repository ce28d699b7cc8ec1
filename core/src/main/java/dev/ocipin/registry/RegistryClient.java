package dev.ocipin.registry;

import dev.ocipin.Digest;
import dev.ocipin.ImageReference;
import dev.ocipin.internal.http.CancelScope;
import dev.ocipin.internal.http.Futures;
import dev.ocipin.internal.http.SingleFlight;
import dev.ocipin.model.Descriptor;
import dev.ocipin.model.InvalidManifestException;
import dev.ocipin.model.Manifests;
import dev.ocipin.model.MediaType;
import dev.ocipin.model.ParsedManifest;
import dev.ocipin.model.UnsupportedManifestException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
        layout -> Layouts.manifest(layout, ref, maxManifestBytes).descriptor(),
        () -> headFromRegistry(ref));
  }

  private CompletableFuture<Descriptor> headFromRegistry(ImageReference ref) {
    if (verifyDigests) {
      return Futures.map(get(ref), ParsedManifest::descriptor);
    }
    return inFlight.join(
        "HEAD " + ref, c -> router.firstSuccess(ref, endpoint -> headAt(endpoint, ref, null, c)));
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
        ref, layout -> Layouts.manifest(layout, ref, maxManifestBytes), () -> get(ref, null));
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
                "HEAD " + ref, c -> router.firstSuccess(ref, e -> headAt(e, ref, beforeRetry, c))),
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
        c -> router.firstSuccess(ref, endpoint -> getAt(endpoint, ref, beforeRetry, c)));
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
   * A parse failure may quote the body, and a proxy's page can echo the Authorization header we
   * sent: when the message or any cause holds a secret, rebuild it scrubbed and without the
   * parser's exceptions, which quote the body raw.
   */
  private InvalidManifestException scrubbed(InvalidManifestException e) {
    boolean leaks = false;
    for (Throwable t = e; t != null && !leaks; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      leaks = !transport.scrub(m).equals(m);
    }
    if (!leaks) {
      return e;
    }
    String clean = transport.scrub(String.valueOf(e.getMessage()));
    return e instanceof UnsupportedManifestException
        ? new UnsupportedManifestException(clean)
        : new InvalidManifestException(clean);
  }

  /**
   * Fetches blob {@code digest} of {@code ref}'s repository, reading at most {@code maxBytes}, and
   * checks that the bytes hash to {@code digest}.
   */
  public CompletableFuture<byte[]> blob(ImageReference ref, Digest digest, long maxBytes) {
    resources.checkOpen();
    return layouts.answer(
        ref,
        layout -> Layouts.blob(layout, digest, maxBytes),
        () -> blobFromRegistry(ref, digest, maxBytes));
  }

  private CompletableFuture<byte[]> blobFromRegistry(
      ImageReference ref, Digest digest, long maxBytes) {
    return inFlight.join(
        "BLOB " + ref.name() + "@" + digest + " " + maxBytes,
        cancel -> blobAt(ref, digest, maxBytes, cancel));
  }

  private CompletableFuture<byte[]> blobAt(
      ImageReference ref, Digest digest, long maxBytes, CancelScope cancel) {
    return router.firstSuccess(
        ref,
        endpoint -> {
          String what = "GET blob " + ref.name() + "@" + digest;
          Transport.Request req =
              new Transport.Request(
                  endpoint,
                  ref.repository(),
                  "GET",
                  "/v2/" + ref.repository() + "/blobs/" + digest,
                  null,
                  maxBytes,
                  cancel);
          return transport
              .send(req)
              .handle((resp, e) -> checked(what, ref, endpoint, resp, e, maxBytes))
              .thenApply(
                  resp -> {
                    try {
                      DigestVerifier.verify(
                          what, resp.body(), Optional.empty(), Optional.of(digest));
                    } catch (RegistryException e) {
                      throw new CompletionException(e);
                    }
                    return resp.body();
                  });
        });
  }

  private CompletableFuture<Descriptor> headAt(
      Endpoint endpoint,
      ImageReference ref,
      @Nullable Supplier<CompletableFuture<Void>> beforeRetry,
      CancelScope cancel) {
    String what = "HEAD manifest " + ref;
    return transport
        .send(request(endpoint, ref, "HEAD", cancel), beforeRetry)
        .handle(
            (resp, e) -> {
              if (e != null) {
                throw new CompletionException(
                    ResponseErrors.forFailure(
                        what, endpoint, Futures.unwrap(e), transport.config().clients().trust()));
              }
              return resp;
            })
        .thenCompose(
            resp -> {
              if (resp.status() / 100 == 2) {
                Optional<Descriptor> described =
                    ManifestHeaders.descriptor(
                        resp.header("Content-Type"),
                        resp.header("Docker-Content-Digest"),
                        resp.header("Content-Length"));
                if (described.isPresent()) {
                  try {
                    DigestVerifier.verifyClaim(what, described.get().digest(), ref.digest());
                  } catch (DigestMismatchException e) {
                    throw new CompletionException(e);
                  }
                  return CompletableFuture.completedFuture(described.get());
                }
                // No digest (or no type or size) on HEAD: fall back to GET, which we can verify.
                return getAt(endpoint, ref, null, cancel).thenApply(ParsedManifest::descriptor);
              }
              // 405: HEAD not allowed. 400: a HEAD error has no body to say why (a plain-HTTP
              // request to an HTTPS port, a malformed name), and the GET's error body does.
              if (resp.status() == 405 || resp.status() == 400) {
                return getAt(endpoint, ref, null, cancel).thenApply(ParsedManifest::descriptor);
              }
              throw new CompletionException(error(what, endpoint, ref, resp));
            });
  }

  private CompletableFuture<ParsedManifest> getAt(
      Endpoint endpoint,
      ImageReference ref,
      @Nullable Supplier<CompletableFuture<Void>> beforeRetry,
      CancelScope cancel) {
    String what = "GET manifest " + ref;
    return transport
        .send(request(endpoint, ref, "GET", cancel), beforeRetry)
        .handle((resp, e) -> checked(what, ref, endpoint, resp, e, maxManifestBytes))
        .thenApply(
            resp -> {
              ParsedManifest parsed;
              try {
                parsed = Manifests.parse(resp.body(), resp.header("Content-Type").orElse(null));
              } catch (InvalidManifestException e) {
                throw new CompletionException(scrubbed(e));
              }
              Optional<Digest> claimed =
                  resp.header("Docker-Content-Digest").flatMap(ManifestHeaders::digest);
              try {
                DigestVerifier.verify(what, resp.body(), claimed, ref.digest());
              } catch (RegistryException e) {
                throw new CompletionException(e);
              }
              // Named as the reference or the registry names it, so that digest() (the HEAD's
              // Docker-Content-Digest) and resolveIndex() agree for a registry using sha512.
              return parsed.digestedWith(DigestVerifier.algorithmFor(ref.digest(), claimed));
            });
  }

  /** Returns a 2xx response, or throws the mapped failure. */
  private Transport.Response checked(
      String what,
      ImageReference ref,
      Endpoint endpoint,
      Transport.@org.jspecify.annotations.Nullable Response resp,
      @org.jspecify.annotations.Nullable Throwable e,
      long cap) {
    if (e != null) {
      Throwable cause = Futures.unwrap(e);
      if (Exchange.isTooLarge(cause)) {
        throw new CompletionException(
            new ManifestTooLargeException(
                what + ": the body is larger than the cap of " + cap + " bytes", cap));
      }
      throw new CompletionException(
          ResponseErrors.forFailure(what, endpoint, cause, transport.config().clients().trust()));
    }
    if (resp.status() / 100 != 2) {
      throw new CompletionException(error(what, endpoint, ref, resp));
    }
    return resp;
  }

  private RegistryException error(
      String what, Endpoint endpoint, ImageReference ref, Transport.Response resp) {
    String creds =
        resp.status() == 401 || resp.status() == 403
            ? "credentials from "
                + transport.describeCredentials(endpoint.registry(), ref.repository())
            : null;
    return ResponseErrors.forStatus(what, resp, creds, transport.config().clock());
  }

  private Transport.Request request(
      Endpoint endpoint, ImageReference ref, String method, CancelScope cancel) {
    String target =
        ref.digest().map(Digest::toString).orElse(ref.tag().orElse(ImageReference.DEFAULT_TAG));
    return new Transport.Request(
        endpoint,
        ref.repository(),
        method,
        "/v2/" + ref.repository() + "/manifests/" + target,
        MANIFEST_ACCEPT,
        maxManifestBytes,
        cancel);
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
