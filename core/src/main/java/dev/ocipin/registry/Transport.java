package dev.ocipin.registry;

import dev.ocipin.auth.CredentialProvider;
import dev.ocipin.internal.http.CancelScope;
import dev.ocipin.internal.http.Limiter;
import dev.ocipin.internal.http.Retrier;
import dev.ocipin.internal.http.RetryPolicy;
import dev.ocipin.internal.http.Secrets;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Sends registry requests: challenge on demand (no {@code /v2/} ping), Basic or Bearer
 * authorization, a token cache per registry and scope set with single-flight fetches, redirects
 * followed by hand, capped bodies, and a listener event per request.
 *
 * <p>Thread-safe; one instance serves a whole resolver.
 */
final class Transport {

  /** How the transport is set up. */
  public record Config(
      ClientPool clients,
      CredentialProvider credentials,
      Set<String> insecureRegistries,
      boolean credentialsOverPlainHttp,
      Duration requestTimeout,
      Clock clock,
      @Nullable RequestListener listener,
      Executor executor,
      Executor credentialExecutor,
      LongSupplier ticker,
      String userAgent,
      int maxConcurrentPerRegistry,
      int scopesPerTokenRequest,
      @Nullable Path tokenCacheFile,
      RetryPolicy retry) {}

  /** One registry API request; {@code cancel} aborts its exchanges when the caller gives up. */
  public record Request(
      Endpoint endpoint,
      String repository,
      String method,
      String path,
      @Nullable String accept,
      long bodyCap,
      @Nullable CancelScope cancel) {
    /** This request, sent to {@code e}. */
    Request withEndpoint(Endpoint e) {
      return e.equals(endpoint)
          ? this
          : new Request(e, repository, method, path, accept, bodyCap, cancel);
    }
  }

  /**
   * A response, its body read up to the request's cap (empty for HEAD and redirects). {@code
   * redirected} is true when it came from a host a redirect led to, not from the registry asked.
   */
  record Response(int status, HttpHeaders headers, byte[] body, URI uri, boolean redirected) {
    /** Returns the first value of header {@code name}. */
    public Optional<String> header(String name) {
      return headers.firstValue(name);
    }
  }

  private final Config config;
  private final Exchange exchange;
  private final TokenClient tokenClient;
  private final Retrier<Response> retrier;
  private final ChallengeCache challenges;
  private final CredentialLookup credentials;
  private final TokenCache tokens;
  private final Authorizer authorizer;
  private final ScopeBatcher batcher;
  private final ConcurrentHashMap<String, Limiter> limiters = new ConcurrentHashMap<>();

  private final @Nullable TokenCacheFile disk;
  private final Secrets secrets = new Secrets();
  private final TlsFallback schemes;

  public Transport(Config config) {
    this.config = config;
    this.retrier =
        new Retrier<>(
            config.retry(),
            RetryPolicy::retryable,
            Response::status,
            r -> r.header("Retry-After"),
            config.executor(),
            config.clock(),
            config.ticker(),
            () -> ThreadLocalRandom.current().nextLong());
    this.disk =
        config.tokenCacheFile() == null
            ? null
            : TokenCacheFile.open(config.tokenCacheFile(), config.clock());
    this.challenges = new ChallengeCache(disk);
    this.tokens = new TokenCache(config.clock(), config.ticker(), disk);
    this.exchange = new Exchange(config, secrets);
    this.schemes = new TlsFallback(config.clients().connectTimeout(), config.executor());
    this.tokenClient =
        new TokenClient(
            exchange,
            retrier,
            secrets,
            config.clock(),
            config.ticker(),
            config.credentialsOverPlainHttp());
    this.credentials =
        new CredentialLookup(config.credentials(), config.credentialExecutor(), config.ticker());
    this.authorizer =
        new Authorizer(
            challenges,
            credentials,
            tokens,
            tokenClient,
            secrets,
            config.credentialsOverPlainHttp());
    this.batcher =
        new ScopeBatcher(
            challenges,
            credentials,
            tokens,
            tokenClient,
            authorizer,
            config.scopesPerTokenRequest());
  }

  /**
   * Returns {@code text} with every secret this transport has sent replaced, for messages that
   * quote what a server returned.
   */
  public String scrub(String text) {
    return secrets.scrub(text);
  }

  public Config config() {
    return config;
  }

  /**
   * Sends {@code req}. A 401 with a challenge is answered once, with fresh authorization; the
   * response after that is returned as is, whatever its status.
   */
  public CompletableFuture<Response> send(Request req) {
    return send(req, null);
  }

  /**
   * Sends {@code req}; when it meets a new challenge, {@code beforeRetry} runs (with the challenge
   * now known) before the retry is sent, so a batch can fetch tokens for all its repositories in as
   * few requests as possible.
   */
  public CompletableFuture<Response> send(
      Request req, @Nullable Supplier<CompletableFuture<Void>> beforeRetry) {
    long start = config.ticker().getAsLong();
    long deadline = retrier.deadlineFromNow();
    return authorizer
        .authorize(req, null, start)
        .thenCompose(
            auth ->
                retrying(req, auth.header(), deadline)
                    .thenCompose(
                        resp -> {
                          // Only the registry's own 401 teaches a challenge; a redirect
                          // target's is returned as is, and reported as that host's refusal.
                          Optional<ChallengeCache.Learned> learned =
                              challenges.learn(schemes.settled(req.endpoint()), resp);
                          if (learned.isEmpty() || (auth.fresh() && !learned.get().changed())) {
                            return CompletableFuture.completedFuture(resp);
                          }
                          long retryStart = config.ticker().getAsLong();
                          CompletableFuture<Void> ready =
                              beforeRetry == null || !learned.get().first()
                                  ? CompletableFuture.completedFuture(null)
                                  : beforeRetry.get().exceptionally(e -> null);
                          return ready
                              .thenCompose(
                                  v ->
                                      authorizer.authorize(
                                          req.withEndpoint(schemes.settled(req.endpoint())),
                                          auth,
                                          retryStart))
                              .thenCompose(again -> retrying(req, again.header(), deadline));
                        }));
  }

  /**
   * Runs an idempotent exchange (HEAD, GET) under the retry policy, each attempt behind the
   * registry's concurrency limit.
   */
  private CompletableFuture<Response> retrying(
      Request req, @Nullable String authorization, long deadline) {
    // Checked again when the limiter starts the exchange: a cancel while it waited for a permit
    // must mean no request is sent.
    Supplier<CompletableFuture<Response>> unlessCancelled =
        () ->
            req.cancel() != null && req.cancel().isCancelled()
                ? CompletableFuture.failedFuture(new CancellationException())
                : schemes.run(
                    req.endpoint(), e -> exchange.send(req.withEndpoint(e), authorization));
    return retrier.run(req.method(), () -> limited(req, unlessCancelled), deadline);
  }

  private <T> CompletableFuture<T> limited(Request req, Supplier<CompletableFuture<T>> exchange) {
    return limiters
        .computeIfAbsent(
            req.endpoint().host(),
            h -> new Limiter(config.maxConcurrentPerRegistry(), config.executor()))
        .submit(exchange);
  }

  /** Returns whether the challenge of {@code registry} is known. */
  boolean knowsChallenge(String registry) {
    return challenges.knows(registry);
  }

  /** Describes where the credential for a repository comes from, for error messages. */
  String describeCredentials(String registry, String repository) {
    return credentials.describe(registry, repository);
  }

  /**
   * Fetches pull tokens for {@code repositories} of {@code endpoint} ahead of their requests; see
   * {@link ScopeBatcher}. Never fails.
   */
  CompletableFuture<Void> prefetchTokens(Endpoint endpoint, Collection<String> repositories) {
    return batcher.prefetch(schemes.settled(endpoint), repositories);
  }
}
