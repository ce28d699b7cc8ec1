package dev.ocipin;

import dev.ocipin.internal.http.Futures;
import dev.ocipin.model.Descriptor;
import dev.ocipin.model.ImageIndex;
import dev.ocipin.model.ImageManifest;
import dev.ocipin.model.InvalidManifestException;
import dev.ocipin.model.Manifests;
import dev.ocipin.model.ParsedManifest;
import dev.ocipin.registry.RegistryClient;
import dev.ocipin.registry.RegistryOptions;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Resolves image tags to digests: the index digest that pins a multi-platform build, one platform's
 * manifest, or just the digest with a single HEAD request.
 *
 * <pre>{@code
 * DigestResolver resolver = DigestResolver.create();
 * ResolvedIndex idx = resolver.resolveIndex("ruby:3.3.0-slim");
 * idx.pinned();   // docker.io/library/ruby:3.3.0-slim@sha256:...
 * }</pre>
 *
 * <p>A compiled, runnable version of this is {@code dev.ocipin.examples.ResolveTag} in
 * ocipin-examples.
 *
 * <p>{@link #create()} uses the default credential chain ({@link
 * dev.ocipin.auth.CredentialChain#defaultChain()}) and sane defaults; {@link #builder()} sets
 * credentials, the HTTP client, timeouts, insecure registries, mirrors, the manifest size cap, the
 * clock and a request listener.
 *
 * <p>A resolver is immutable and thread-safe, and meant to be shared like an {@link
 * java.net.http.HttpClient}: it caches registry challenges and tokens. {@link #close()} releases
 * its threads and connections; a short-lived program (a command line) should close it, and a
 * long-lived one may keep it for the life of the process:
 *
 * <pre>{@code
 * try (DigestResolver resolver = DigestResolver.create()) {
 *   System.out.println(resolver.resolveIndex("ruby:3.3.0-slim").pinned());
 * }
 * }</pre>
 *
 * <p>The blocking methods throw {@link IOException}s (registry failures are {@link
 * dev.ocipin.registry.RegistryException}s); an interrupted wait throws {@link
 * InterruptedIOException} with the interrupt flag set. The asynchronous methods use the same engine
 * and do not block.
 */
public final class DigestResolver implements AutoCloseable {

  private final RegistryClient client;

  private DigestResolver(RegistryClient client) {
    this.client = client;
  }

  /** Returns a resolver with the default credential chain and defaults. */
  public static DigestResolver create() {
    return builder().build();
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link DigestResolver}; see {@link RegistryOptions} for the options. */
  public static final class Builder extends RegistryOptions<Builder> {
    Builder() {}

    /** Builds the resolver. */
    public DigestResolver build() {
      return new DigestResolver(buildClient());
    }
  }

  /**
   * Releases what this resolver built for itself: its HTTP client's threads and connections (at
   * once on JDK 21 and later, where {@code HttpClient} can be shut down; on JDK 17 when the client
   * is collected) and its credential-lookup threads. An {@code HttpClient} or executor given to the
   * builder is not closed: it is the caller's. Later calls throw {@link IllegalStateException};
   * closing twice does nothing.
   */
  @Override
  public void close() {
    client.close();
  }

  /** Returns the registry client this resolver uses, for lower-level requests. */
  public RegistryClient registryClient() {
    return client;
  }

  /**
   * Resolves {@code reference} to its index, with every platform manifest and attestation. A tag
   * that names a single manifest gives that manifest's digest, with {@link ResolvedIndex#isIndex()}
   * false. A reference that already carries a digest is fetched by that digest and verified, not
   * trusted. Blocks.
   *
   * @throws InvalidReferenceException when the text is not a reference
   * @throws IOException when the registry cannot be reached or refuses, or the manifest is invalid
   */
  public ResolvedIndex resolveIndex(String reference) throws IOException {
    return await(resolveIndexAsync(ImageReference.parse(reference)));
  }

  /** Resolves {@code reference} to its index, as {@link #resolveIndex(String)}. Blocks. */
  public ResolvedIndex resolveIndex(ImageReference reference) throws IOException {
    return await(resolveIndexAsync(reference));
  }

  /**
   * Resolves {@code reference} to its index without blocking; see {@link #resolveIndex(String)}.
   */
  public CompletableFuture<ResolvedIndex> resolveIndexAsync(String reference) {
    return parseThen(reference, this::resolveIndexAsync);
  }

  /** Resolves {@code reference} to its index without blocking. */
  public CompletableFuture<ResolvedIndex> resolveIndexAsync(ImageReference reference) {
    return Futures.map(
        client.get(reference),
        m -> ResolvedIndex.of(reference, m.digest(), m.mediaType(), m.size(), m.manifest()));
  }

  /**
   * Resolves the manifest that {@code docker pull --platform} would pick for {@code platform}: the
   * exact match, else the nearest compatible one (arm/v7 runs v6; arm64 runs arm/v8). For a tag
   * that names a single manifest, its image config is read to check the platform. Blocks.
   *
   * @throws NoMatchingPlatformException when no image runs on {@code platform}; it lists what the
   *     image offers
   * @throws IOException when the registry cannot be reached or refuses
   */
  public ResolvedManifest resolve(String reference, Platform platform) throws IOException {
    return await(resolveAsync(ImageReference.parse(reference), platform));
  }

  /** Resolves one platform's manifest, as {@link #resolve(String, Platform)}. Blocks. */
  public ResolvedManifest resolve(ImageReference reference, Platform platform) throws IOException {
    return await(resolveAsync(reference, platform));
  }

  /** Resolves one platform's manifest without blocking; see {@link #resolve(String, Platform)}. */
  public CompletableFuture<ResolvedManifest> resolveAsync(String reference, Platform platform) {
    return parseThen(reference, r -> resolveAsync(r, platform));
  }

  /** Resolves one platform's manifest without blocking. */
  public CompletableFuture<ResolvedManifest> resolveAsync(
      ImageReference reference, Platform platform) {
    return Futures.compose(client.get(reference), m -> choose(reference, m, platform));
  }

  /**
   * How many levels of index are read, the top one included: enough for any real image, and a bound
   * on what a hostile registry can make one resolution fetch.
   */
  static final int MAX_INDEX_DEPTH = 4;

  private CompletableFuture<ResolvedManifest> choose(
      ImageReference reference, ParsedManifest m, Platform platform) {
    if (m.manifest() instanceof ImageIndex) {
      return chooseIn(reference, (ImageIndex) m.manifest(), m.digest(), platform, 1)
          .thenApply(
              found ->
                  found.orElseThrow(
                      () ->
                          new CompletionException(
                              new NoMatchingPlatformException(
                                  reference, platform, offered((ImageIndex) m.manifest())))));
    }
    ImageManifest manifest = (ImageManifest) m.manifest();
    return client
        .blob(reference, manifest.config().digest(), Manifests.MAX_CONFIG_BYTES)
        .thenApply(
            config -> {
              Optional<Platform> own = Manifests.platformOfConfig(config);
              if (own.isEmpty() || !platform.matches(own.get())) {
                throw new CompletionException(
                    new NoMatchingPlatformException(
                        reference, platform, own.map(List::of).orElse(List.of())));
              }
              return ResolvedManifest.builder()
                  .reference(reference)
                  .digest(m.digest())
                  .mediaType(m.mediaType())
                  .size(m.size())
                  .platform(own.get())
                  .build();
            });
  }

  /**
   * Chooses among {@code index}'s entries as {@code docker pull --platform} would, following nested
   * indexes (an entry that is itself an index) as containerd does: an index entry chosen for its
   * platform is fetched and chosen in, and when no image matches, entries that are indexes without
   * a platform are searched in order. Empty when nothing matches.
   */
  private CompletableFuture<Optional<ResolvedManifest>> chooseIn(
      ImageReference reference, ImageIndex index, Digest top, Platform platform, int depth) {
    Optional<Descriptor> chosen = index.select(platform);
    if (chosen.isPresent() && !chosen.get().mediaType().isIndex()) {
      Descriptor d = chosen.get();
      return CompletableFuture.completedFuture(
          Optional.of(
              ResolvedManifest.builder()
                  .reference(reference)
                  .digest(d.digest())
                  .mediaType(d.mediaType())
                  .size(d.size())
                  .platform(d.platform().orElseThrow())
                  .indexDigest(top)
                  .build()));
    }
    List<Descriptor> nested = new ArrayList<>();
    chosen.ifPresent(nested::add);
    for (Descriptor d : index.images()) {
      if (d.mediaType().isIndex() && d.platform().isEmpty() && d.digest().isSupported()) {
        nested.add(d);
      }
    }
    if (!nested.isEmpty() && depth >= MAX_INDEX_DEPTH) {
      return CompletableFuture.failedFuture(
          new InvalidManifestException(
              reference + ": indexes are nested more than " + MAX_INDEX_DEPTH + " deep"));
    }
    return firstIn(reference, nested, 0, top, platform, depth);
  }

  private CompletableFuture<Optional<ResolvedManifest>> firstIn(
      ImageReference reference,
      List<Descriptor> nested,
      int i,
      Digest top,
      Platform platform,
      int depth) {
    if (i == nested.size()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return Futures.compose(
        client.get(reference.withDigest(nested.get(i).digest())),
        inner ->
            inner.manifest() instanceof ImageIndex
                ? Futures.compose(
                    chooseIn(reference, (ImageIndex) inner.manifest(), top, platform, depth + 1),
                    found ->
                        found.isPresent()
                            ? CompletableFuture.completedFuture(found)
                            : firstIn(reference, nested, i + 1, top, platform, depth))
                : CompletableFuture.failedFuture(
                    new InvalidManifestException(
                        reference
                            + ": the index entry "
                            + nested.get(i).digest()
                            + " says it is an index, but the registry served "
                            + inner.mediaType())));
  }

  private static List<Platform> offered(ImageIndex index) {
    List<Platform> offered = new ArrayList<>();
    index.images().forEach(d -> d.platform().ifPresent(offered::add));
    return offered;
  }

  /**
   * Returns the digest {@code reference} names, with one HEAD request when the registry sends
   * {@code Docker-Content-Digest} (Docker Hub does not count a HEAD as a pull), else a verified
   * GET. For a tag that names an index, this is the index digest. Blocks.
   *
   * @throws IOException when the registry cannot be reached or refuses
   */
  public Digest digest(String reference) throws IOException {
    return await(digestAsync(ImageReference.parse(reference)));
  }

  /** Returns the digest {@code reference} names, as {@link #digest(String)}. Blocks. */
  public Digest digest(ImageReference reference) throws IOException {
    return await(digestAsync(reference));
  }

  /** Returns the digest without blocking; see {@link #digest(String)}. */
  public CompletableFuture<Digest> digestAsync(String reference) {
    return parseThen(reference, this::digestAsync);
  }

  /** Returns the digest without blocking. */
  public CompletableFuture<Digest> digestAsync(ImageReference reference) {
    return Futures.map(client.head(reference), Descriptor::digest);
  }

  /**
   * Resolves every reference to its index, concurrently. Each succeeds or fails on its own: an
   * invalid reference or a registry failure is reported in its {@link ResolveResult}, and never
   * fails the batch. Results come in input order. Blocks until all are done.
   *
   * @throws InterruptedIOException when the wait is interrupted (the interrupt flag is set again
   *     and the batch cancelled), as for the other blocking methods
   */
  public List<ResolveResult> resolveAll(Collection<String> references)
      throws InterruptedIOException {
    try {
      return await(resolveAllAsync(references));
    } catch (InterruptedIOException e) {
      throw e;
    } catch (IOException e) {
      // resolveAllAsync never fails as a whole: every failure is in its reference's result.
      throw new IllegalStateException(e);
    }
  }

  /**
   * Resolves every reference to its index without blocking; see {@link #resolveAll}. Requests run
   * concurrently, at most the per-registry limit at a time, and with the fewest round trips: per
   * registry, one request learns the challenge, tokens for many repositories come in one token
   * request, and identical references are fetched once.
   */
  public CompletableFuture<List<ResolveResult>> resolveAllAsync(Collection<String> references) {
    List<String> inputs = new ArrayList<>(references);
    List<ImageReference> valid = new ArrayList<>();
    List<Integer> validIndex = new ArrayList<>();
    List<CompletableFuture<ResolveResult>> futures = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      futures.add(null);
      try {
        valid.add(ImageReference.parse(inputs.get(i)));
        validIndex.add(i);
      } catch (InvalidReferenceException e) {
        futures.set(
            i, CompletableFuture.completedFuture(new ResolveResult.Failed(inputs.get(i), e)));
      }
    }
    List<CompletableFuture<ParsedManifest>> fetched = client.getAll(valid);
    for (int j = 0; j < valid.size(); j++) {
      ImageReference ref = valid.get(j);
      String input = inputs.get(validIndex.get(j));
      futures.set(
          validIndex.get(j),
          fetched
              .get(j)
              .handle(
                  (m, e) ->
                      e == null
                          ? new ResolveResult.Resolved(
                              input,
                              ResolvedIndex.of(
                                  ref, m.digest(), m.mediaType(), m.size(), m.manifest()))
                          : new ResolveResult.Failed(input, asException(Futures.unwrap(e)))));
    }
    CompletableFuture<List<ResolveResult>> all =
        CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]))
            .thenApply(
                v -> {
                  List<ResolveResult> out = new ArrayList<>(futures.size());
                  futures.forEach(f -> out.add(f.join()));
                  return out;
                });
    // Cancelling the batch cancels each reference's fetch; one that another caller shares goes on
    // for that caller.
    all.whenComplete(
        (v, e) -> {
          if (all.isCancelled()) {
            fetched.forEach(f -> f.cancel(true));
          }
        });
    return all;
  }

  private static Exception asException(Throwable t) {
    return t instanceof Exception ? (Exception) t : new IOException(t);
  }

  private static <T> CompletableFuture<T> parseThen(
      String text, java.util.function.Function<ImageReference, CompletableFuture<T>> next) {
    ImageReference ref;
    try {
      ref = ImageReference.parse(text);
    } catch (InvalidReferenceException e) {
      return CompletableFuture.failedFuture(e);
    }
    return next.apply(ref);
  }

  /** Waits for {@code f}, unwrapping its failure to the exception a caller should see. */
  static <T> T await(CompletableFuture<T> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the registry");
    } catch (ExecutionException e) {
      Throwable cause = Futures.unwrap(e);
      if (cause instanceof IOException) {
        throw (IOException) cause;
      }
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new IOException(cause);
    }
  }
}
