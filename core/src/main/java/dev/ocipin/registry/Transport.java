package dev.ocipin.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ocipin.auth.Credential;
import dev.ocipin.auth.CredentialProvider;
import dev.ocipin.internal.http.Limiter;
import dev.ocipin.internal.http.Retrier;
import dev.ocipin.internal.http.RetryPolicy;
import dev.ocipin.internal.http.Secrets;
import dev.ocipin.internal.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
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
      HttpClient client,
      CredentialProvider credentials,
      Set<String> insecureRegistries,
      boolean credentialsOverPlainHttp,
      Duration requestTimeout,
      Clock clock,
      @Nullable RequestListener listener,
      Executor executor,
      Executor credentialExecutor,
      Map<String, HttpClient> clientsByHost,
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
      @Nullable Cancel cancel) {}

  /**
   * The HTTP exchanges of one operation, so that cancelling the caller's future aborts them (the
   * JDK client aborts an exchange whose future is cancelled).
   */
  public static final class Cancel {
    private final Set<CompletableFuture<?>> running = ConcurrentHashMap.newKeySet();
    private volatile boolean cancelled;

    void add(CompletableFuture<?> f) {
      running.add(f);
      f.whenComplete((v, e) -> running.remove(f));
      if (cancelled) {
        f.cancel(true);
      }
    }

    /** Aborts every exchange running now or started later. */
    public void cancel() {
      cancelled = true;
      running.forEach(f -> f.cancel(true));
    }

    boolean isCancelled() {
      return cancelled;
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

  private record Auth(@Nullable String header, boolean fresh, @Nullable String token) {
    static final Auth NONE = new Auth(null, false, null);
  }

  private final Config config;
  private final Exchange exchange;
  private final TokenClient tokenClient;
  private final Retrier<Response> retrier;
  private final ChallengeCache challenges;
  private final CredentialLookup credentials;
  private final TokenCache tokens;
  private final ConcurrentHashMap<String, Limiter> limiters = new ConcurrentHashMap<>();

  private final @Nullable TokenCacheFile disk;
  private final Secrets secrets = new Secrets();

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
            System::nanoTime,
            () -> ThreadLocalRandom.current().nextLong());
    this.disk =
        config.tokenCacheFile() == null
            ? null
            : TokenCacheFile.open(config.tokenCacheFile(), config.clock());
    this.challenges = new ChallengeCache(disk);
    this.tokens = new TokenCache(config.clock(), disk);
    this.exchange = new Exchange(config, secrets);
    this.tokenClient =
        new TokenClient(
            exchange, retrier, secrets, config.clock(), config.credentialsOverPlainHttp());
    this.credentials =
        new CredentialLookup(config.credentials(), config.credentialExecutor(), System::nanoTime);
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
    long start = System.nanoTime();
    long deadline = retrier.deadlineFromNow();
    return authorization(req, null, start)
        .thenCompose(
            auth ->
                retrying(req, () -> exchange.send(req, auth.header()), deadline)
                    .thenCompose(
                        resp -> {
                          // Only the registry's own 401 teaches a challenge; a redirect
                          // target's is returned as is, and reported as that host's refusal.
                          Optional<ChallengeCache.Learned> learned =
                              challenges.learn(req.endpoint(), resp);
                          if (learned.isEmpty() || (auth.fresh() && !learned.get().changed())) {
                            return CompletableFuture.completedFuture(resp);
                          }
                          long retryStart = System.nanoTime();
                          CompletableFuture<Void> ready =
                              beforeRetry == null || !learned.get().first()
                                  ? CompletableFuture.completedFuture(null)
                                  : beforeRetry.get().exceptionally(e -> null);
                          return ready
                              .thenCompose(v -> authorization(req, auth, retryStart))
                              .thenCompose(
                                  again ->
                                      retrying(
                                          req, () -> exchange.send(req, again.header()), deadline));
                        }));
  }

  /**
   * Runs an idempotent exchange (HEAD, GET) under the retry policy, each attempt behind the
   * registry's concurrency limit.
   */
  private CompletableFuture<Response> retrying(
      Request req, Supplier<CompletableFuture<Response>> exchange, long deadline) {
    // Checked again when the limiter starts the exchange: a cancel while it waited for a permit
    // must mean no request is sent.
    Supplier<CompletableFuture<Response>> unlessCancelled =
        () ->
            req.cancel() != null && req.cancel().isCancelled()
                ? CompletableFuture.failedFuture(new CancellationException())
                : exchange.get();
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

  /**
   * Fetches pull tokens for {@code repositories} of {@code endpoint} ahead of their requests,
   * merging up to {@code scopesPerTokenRequest} scopes into one token request. Repositories that
   * already have a valid token are skipped. When the issuer does not grant every scope it was asked
   * for (read from the JWT's {@code access} claim), the missing ones fall back to a token of their
   * own. Never fails; a failed prefetch leaves each request to fetch its own token.
   */
  public CompletableFuture<Void> prefetchTokens(
      Endpoint endpoint, Collection<String> repositories) {
    Challenge c = challenges.get(endpoint.registry()).orElse(null);
    if (c == null || !c.isBearer() || !credentialsAllowed(endpoint)) {
      return CompletableFuture.completedFuture(null);
    }
    List<String> repos = new ArrayList<>(new LinkedHashSet<>(repositories));
    List<CompletableFuture<Credential>> creds = new ArrayList<>();
    for (String r : repos) {
      creds.add(credential(endpoint.registry(), r));
    }
    return CompletableFuture.allOf(creds.toArray(new CompletableFuture<?>[0]))
        .handle((v, e) -> null)
        .thenCompose(
            v -> {
              String realm = c.param("realm").orElse("");
              String service = c.param("service").orElse("");
              Map<Credential, List<String>> byCredential = new LinkedHashMap<>();
              for (int i = 0; i < repos.size(); i++) {
                Credential cred = creds.get(i).getNow(null);
                if (cred == null || cred instanceof Credential.RegistryToken) {
                  continue;
                }
                TokenCache.Key single =
                    new TokenCache.Key(
                        endpoint.registry(), realm, service, scopesFor(repos.get(i)), cred);
                if (tokens.usable(single)) {
                  continue;
                }
                byCredential.computeIfAbsent(cred, k -> new ArrayList<>()).add(repos.get(i));
              }
              List<CompletableFuture<?>> all = new ArrayList<>();
              int k = Math.max(1, config.scopesPerTokenRequest());
              byCredential.forEach(
                  (cred, list) -> {
                    for (int from = 0; from < list.size(); from += k) {
                      all.add(
                          merged(
                              c,
                              endpoint,
                              list.subList(from, Math.min(list.size(), from + k)),
                              cred));
                    }
                  });
              return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]))
                  .handle((x, e) -> null);
            });
  }

  /** Fetches one token for several repositories and files it under each one's scope. */
  private CompletableFuture<TokenCache.Token> merged(
      Challenge c, Endpoint endpoint, List<String> repos, Credential cred) {
    String realm = c.param("realm").orElse("");
    String service = c.param("service").orElse("");
    SortedSet<String> scopes = new TreeSet<>();
    repos.forEach(r -> scopes.addAll(scopesFor(r)));
    CompletableFuture<TokenCache.Token> fetch =
        tokenClient.fetch(realm, service, scopes, cred, endpoint);
    for (String repo : repos) {
      SortedSet<String> one = scopesFor(repo);
      TokenCache.Key single = new TokenCache.Key(endpoint.registry(), realm, service, one, cred);
      CompletableFuture<TokenCache.Token> forRepo =
          fetch.thenCompose(
              t ->
                  covers(t.value(), repo)
                      ? CompletableFuture.completedFuture(t)
                      : tokenClient.fetch(realm, service, one, cred, endpoint));
      tokens.offer(single, forRepo);
    }
    return fetch;
  }

  /**
   * Whether a token grants pull on {@code repository}, judged from the JWT {@code access} claim. An
   * opaque token, or one without the claim, is trusted; a 401 with it falls back anyway.
   */
  static boolean covers(String token, String repository) {
    String[] parts = token.split("\\.");
    if (parts.length != 3) {
      return true;
    }
    try {
      JsonNode claims = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
      JsonNode access = claims.get("access");
      if (access == null || !access.isArray()) {
        return true;
      }
      for (JsonNode a : access) {
        if ("repository".equals(a.path("type").asText())
            && repository.equals(a.path("name").asText())) {
          for (JsonNode action : a.path("actions")) {
            if ("pull".equals(action.asText()) || "*".equals(action.asText())) {
              return true;
            }
          }
        }
      }
      return false;
    } catch (IOException | IllegalArgumentException e) {
      return true;
    }
  }

  /** Whether credentials and tokens may be sent to this endpoint. */
  private boolean credentialsAllowed(Endpoint e) {
    return !e.plainHttp() || e.loopback() || config.credentialsOverPlainHttp();
  }

  private CompletableFuture<Auth> authorization(Request req, @Nullable Auth previous, long start) {
    Challenge c = challenges.get(req.endpoint().registry()).orElse(null);
    if (c == null) {
      return CompletableFuture.completedFuture(Auth.NONE);
    }
    if (!credentialsAllowed(req.endpoint())) {
      return CompletableFuture.completedFuture(new Auth(null, true, null));
    }
    return credential(req.endpoint().registry(), req.repository())
        .thenCompose(
            cred -> {
              if (c.isBasic()) {
                if (cred instanceof Credential.Basic) {
                  Credential.Basic b = (Credential.Basic) cred;
                  secrets.add(b.password());
                  return CompletableFuture.completedFuture(
                      new Auth(TokenClient.basicHeader(b.username(), b.password()), true, null));
                }
                return CompletableFuture.completedFuture(new Auth(null, true, null));
              }
              if (cred instanceof Credential.RegistryToken) {
                String t = ((Credential.RegistryToken) cred).token();
                return CompletableFuture.completedFuture(new Auth("Bearer " + t, true, null));
              }
              boolean force = previous != null && previous.token() != null;
              String stale = previous == null ? null : previous.token();
              return token(c, req.endpoint(), scopesFor(req.repository()), cred, force, stale)
                  .thenApply(
                      t ->
                          new Auth(
                              "Bearer " + t.value(), t.fetchedAtNanos() - start >= 0, t.value()));
            });
  }

  private static SortedSet<String> scopesFor(String repository) {
    SortedSet<String> s = new TreeSet<>();
    s.add("repository:" + repository + ":pull");
    return s;
  }

  /** Looks up (once per registry and repository) the credential; helpers may block, so async. */
  CompletableFuture<Credential> credential(String registry, String repository) {
    return credentials.lookup(registry, repository);
  }

  /** Describes where the credential for a repository comes from, for error messages. */
  String describeCredentials(String registry, String repository) {
    return credentials.describe(registry, repository);
  }

  private CompletableFuture<TokenCache.Token> token(
      Challenge c,
      Endpoint endpoint,
      SortedSet<String> scopes,
      Credential cred,
      boolean force,
      @Nullable String stale) {
    String realm = c.param("realm").orElse("");
    String service = c.param("service").orElse("");
    TokenCache.Key key = new TokenCache.Key(endpoint.registry(), realm, service, scopes, cred);
    return tokens.get(
        key, force, stale, () -> tokenClient.fetch(realm, service, scopes, cred, endpoint));
  }
}
