package dev.ocipin.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ocipin.auth.Credential;
import dev.ocipin.auth.CredentialProvider;
import dev.ocipin.internal.http.CappedBody;
import dev.ocipin.internal.http.Futures;
import dev.ocipin.internal.http.Limiter;
import dev.ocipin.internal.http.RedirectPolicy;
import dev.ocipin.internal.http.Retrier;
import dev.ocipin.internal.http.RetryPolicy;
import dev.ocipin.internal.http.Secrets;
import dev.ocipin.internal.http.Urls;
import dev.ocipin.internal.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
  /** Error bodies are only quoted, so little of them is read. */
  static final int ERROR_BODY_CAP = 64 * 1024;

  /** Token responses larger than this are refused. */
  static final int TOKEN_BODY_CAP = 1024 * 1024;

  private static final Duration MIN_TOKEN_LIFETIME = Duration.ofSeconds(60);
  private static final Duration MAX_TOKEN_LIFETIME = Duration.ofDays(1);

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
                retrying(req, () -> exchange(req, auth), deadline)
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
                                  again -> retrying(req, () -> exchange(req, again), deadline));
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
    CompletableFuture<TokenCache.Token> fetch = fetchToken(realm, service, scopes, cred, endpoint);
    for (String repo : repos) {
      SortedSet<String> one = scopesFor(repo);
      TokenCache.Key single = new TokenCache.Key(endpoint.registry(), realm, service, one, cred);
      CompletableFuture<TokenCache.Token> forRepo =
          fetch.thenCompose(
              t ->
                  covers(t.value(), repo)
                      ? CompletableFuture.completedFuture(t)
                      : fetchToken(realm, service, one, cred, endpoint));
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
                      new Auth(basicHeader(b.username(), b.password()), true, null));
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

  static String basicHeader(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
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
    return tokens.get(key, force, stale, () -> fetchToken(realm, service, scopes, cred, endpoint));
  }

  private CompletableFuture<TokenCache.Token> fetchToken(
      String realm, String service, SortedSet<String> scopes, Credential cred, Endpoint endpoint) {
    Optional<String> problem = RealmPolicy.problemWith(endpoint, realm, secrets);
    if (problem.isPresent()) {
      return failed(tokenError(endpoint, problem.get(), null));
    }
    URI realmUri = URI.create(realm);
    String scheme = realmUri.getScheme().toLowerCase(Locale.ROOT);
    boolean mayCarryCredentials =
        !scheme.equals("http")
            || Endpoint.isLoopback(realmUri.getHost())
            || config.credentialsOverPlainHttp();
    if (cred instanceof Credential.IdentityToken && mayCarryCredentials) {
      String refresh = ((Credential.IdentityToken) cred).token();
      secrets.add(refresh);
      secrets.add(enc(refresh));
      String form =
          "grant_type=refresh_token&service="
              + enc(service)
              + "&client_id=ocipin"
              + "&refresh_token="
              + enc(refresh)
              + "&scope="
              + enc(String.join(" ", scopes));
      HttpRequest post =
          base(withQuery(realmUri, ""))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(form))
              .build();
      return tokenFailures(sendToken(post), realmUri, endpoint)
          .thenCompose(
              resp -> {
                // Registries without OAuth2 answer 404 (Docker's fallback): use the GET flow.
                if (resp.status() == 404 || resp.status() == 405) {
                  return getToken(realmUri, service, scopes, null, endpoint);
                }
                return CompletableFuture.completedFuture(resp);
              })
          .thenApply(resp -> parseToken(resp, endpoint, cred));
    }
    String basic = null;
    if (cred instanceof Credential.Basic && mayCarryCredentials) {
      Credential.Basic b = (Credential.Basic) cred;
      secrets.add(b.password());
      basic = basicHeader(b.username(), b.password());
    }
    return getToken(realmUri, service, scopes, basic, endpoint)
        .thenApply(resp -> parseToken(resp, endpoint, cred));
  }

  private CompletableFuture<Response> getToken(
      URI realm,
      String service,
      SortedSet<String> scopes,
      @Nullable String basic,
      Endpoint endpoint) {
    StringBuilder q = new StringBuilder();
    if (!service.isEmpty()) {
      q.append("service=").append(enc(service));
    }
    for (String s : scopes) {
      q.append(q.length() == 0 ? "" : "&").append("scope=").append(enc(s));
    }
    URI uri = withQuery(realm, q.toString());
    HttpRequest.Builder b = base(uri).GET();
    if (basic != null) {
      secrets.addAuthorization(basic);
      b.header("Authorization", basic);
    }
    HttpRequest request = b.build();
    return tokenFailures(
        retrier.run("GET", () -> sendToken(request), retrier.deadlineFromNow()), uri, endpoint);
  }

  /**
   * Returns {@code realm} with {@code query} added to any query it has. A fragment is dropped: it
   * is never sent, and the query must not end up after it, where it would be lost.
   */
  static URI withQuery(URI realm, String query) {
    String base = realm.toString();
    int hash = base.indexOf('#');
    if (hash >= 0) {
      base = base.substring(0, hash);
    }
    if (query.isEmpty()) {
      return URI.create(base);
    }
    String joiner =
        realm.getRawQuery() == null ? "?" : base.endsWith("?") || base.endsWith("&") ? "" : "&";
    return URI.create(base + joiner + query);
  }

  private HttpRequest.Builder base(URI uri) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(config.requestTimeout())
            .header("User-Agent", config.userAgent());
    if ("http".equalsIgnoreCase(uri.getScheme())) {
      b.version(HttpClient.Version.HTTP_1_1);
    }
    return b;
  }

  /**
   * Bounds the whole exchange, body included, by the request timeout: the JDK client's own timeout
   * stops at the response headers, and a registry trickling a body must not hang a build. On expiry
   * the exchange is aborted.
   */
  private <T> CompletableFuture<T> withTimeout(CompletableFuture<T> sent, URI uri) {
    Duration timeout = config.requestTimeout();
    return Futures.within(
        sent,
        timeout,
        config.executor(),
        () ->
            new java.net.http.HttpTimeoutException(
                uri.getHost() + " did not finish answering within " + timeout.toMillis() + " ms"));
  }

  /** The HTTP client for {@code uri}: one with the registry's own TLS settings, if any. */
  private HttpClient client(URI uri) {
    String authority =
        uri.getAuthority() == null ? "" : uri.getAuthority().toLowerCase(Locale.ROOT);
    HttpClient c = config.clientsByHost().get(authority);
    if (c == null && uri.getHost() != null) {
      c = config.clientsByHost().get(uri.getHost().toLowerCase(Locale.ROOT));
    }
    return c != null ? c : config.client();
  }

  /** Sends one token request. Failures stay raw, so that transient ones can be retried. */
  private CompletableFuture<Response> sendToken(HttpRequest request) {
    long start = System.nanoTime();
    CompletableFuture<HttpResponse<byte[]>> sent =
        client(request.uri())
            .sendAsync(
                request, info -> new CappedBody(TOKEN_BODY_CAP, info.statusCode() / 100 == 2));
    return withTimeout(sent, request.uri())
        .handle(
            (resp, e) -> {
              emit(request, resp, start);
              if (e != null) {
                throw new CompletionException(Futures.unwrap(e));
              }
              return new Response(
                  resp.statusCode(), resp.headers(), errorBody(resp), resp.uri(), false);
            });
  }

  /** Turns a token request's final failure, after any retries, into a typed exception. */
  private static CompletableFuture<Response> tokenFailures(
      CompletableFuture<Response> response, URI uri, Endpoint endpoint) {
    return response.handle(
        (resp, e) -> {
          if (e == null) {
            return resp;
          }
          Throwable cause = Futures.unwrap(e);
          if (cause instanceof CappedBody.TooLargeException) {
            throw new CompletionException(
                tokenError(
                    endpoint, "its token response exceeds " + TOKEN_BODY_CAP + " bytes", null));
          }
          if (cause instanceof RegistryException) {
            throw new CompletionException(cause);
          }
          throw new CompletionException(
              new RegistryException(
                  "token request to "
                      + uri.getHost()
                      + " for "
                      + endpoint.registry()
                      + " failed: "
                      + describe(cause),
                  0,
                  List.of(),
                  cause));
        });
  }

  private TokenCache.Token parseToken(Response resp, Endpoint endpoint, Credential cred) {
    String host = resp.uri().getHost();
    if (resp.status() == 401 || resp.status() == 403) {
      throw new CompletionException(
          new AuthenticationException(
              "registry "
                  + endpoint.registry()
                  + " refused the token request to "
                  + host
                  + " with "
                  + resp.status()
                  + " using "
                  + cred
                  + "; check the credentials, or run `docker login "
                  + endpoint.registry()
                  + "`",
              resp.status(),
              ResponseErrors.parse(resp.body())));
    }
    if (resp.status() / 100 != 2) {
      throw new CompletionException(
          ResponseErrors.forStatus(
              "token request to " + host + " for " + endpoint.registry(),
              resp,
              null,
              config.clock()));
    }
    JsonNode json;
    try {
      json = Json.readTree(resp.body(), "token response from " + host);
    } catch (Json.MalformedJsonException e) {
      // The message quotes the body, which may echo what we sent.
      throw new CompletionException(
          new RegistryException(secrets.scrub(e.getMessage()), resp.status(), List.of(), null));
    }
    String value = text(json, "token");
    if (value.isEmpty()) {
      value = text(json, "access_token");
    }
    if (value.isEmpty()) {
      throw new CompletionException(
          new RegistryException(
              "token response from " + host + " has neither token nor access_token",
              resp.status(),
              List.of(),
              null));
    }
    long expiresIn = json.path("expires_in").asLong(0);
    // At least the spec's 60 s; at most a day, so a server's huge number cannot overflow a date.
    Duration lifetime =
        Duration.ofSeconds(
            Math.min(
                Math.max(expiresIn, MIN_TOKEN_LIFETIME.toSeconds()),
                MAX_TOKEN_LIFETIME.toSeconds()));
    Instant now = config.clock().instant();
    Instant issued = now;
    String issuedAt = text(json, "issued_at");
    if (!issuedAt.isEmpty()) {
      try {
        Instant claimed = java.time.OffsetDateTime.parse(issuedAt).toInstant();
        // A clock skewed by more than a token's life is not worth believing: count from now.
        if (Duration.between(claimed, now).abs().compareTo(MAX_TOKEN_LIFETIME) < 0) {
          issued = claimed;
        }
      } catch (DateTimeParseException | ArithmeticException e) {
        // A malformed issued_at is not worth failing over: count from now.
      }
    }
    return new TokenCache.Token(value, issued.plus(lifetime), System.nanoTime());
  }

  private static String text(JsonNode json, String field) {
    JsonNode v = json.get(field);
    return v != null && v.isTextual() ? v.asText() : "";
  }

  private static RegistryException tokenError(
      Endpoint endpoint, String why, @Nullable Throwable cause) {
    return new RegistryException(
        "cannot get a token for " + endpoint.registry() + ": " + why, 0, List.of(), cause);
  }

  /** One request, following redirects by hand. */
  private CompletableFuture<Response> exchange(Request req, Auth auth) {
    URI uri = req.endpoint().base().resolve(req.path());
    return exchange(req, uri, auth.header(), 0);
  }

  private CompletableFuture<Response> exchange(
      Request req, URI uri, @Nullable String authorization, int hops) {
    HttpRequest.Builder b = base(uri).method(req.method(), HttpRequest.BodyPublishers.noBody());
    if (req.accept() != null) {
      b.header("Accept", req.accept());
    }
    if (authorization != null) {
      secrets.addAuthorization(authorization);
      b.header("Authorization", authorization);
    }
    HttpRequest request = b.build();
    long start = System.nanoTime();
    boolean head = req.method().equals("HEAD");
    CompletableFuture<HttpResponse<byte[]>> sent =
        client(uri)
            .sendAsync(
                request,
                info -> {
                  int s = info.statusCode();
                  if (head || (s >= 300 && s < 400)) {
                    return HttpResponse.BodySubscribers.replacing(new byte[0]);
                  }
                  if (s / 100 == 2) {
                    long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
                    return declared > req.bodyCap()
                        ? new TooLargeUpFront(req.bodyCap())
                        : new CappedBody(req.bodyCap(), true);
                  }
                  return new CappedBody(ERROR_BODY_CAP, false);
                });
    if (req.cancel() != null) {
      req.cancel().add(sent);
    }
    return withTimeout(sent, uri)
        .handle(
            (resp, e) -> {
              emit(request, resp, start);
              if (e != null) {
                throw new CompletionException(Futures.unwrap(e));
              }
              return resp;
            })
        .thenCompose(
            resp -> {
              int s = resp.statusCode();
              Optional<RedirectPolicy.Decision> redirect =
                  RedirectPolicy.decide(uri, s, resp.headers().firstValue("Location"), hops);
              if (redirect.isEmpty()) {
                return CompletableFuture.completedFuture(
                    new Response(s, resp.headers(), errorBody(resp), resp.uri(), hops > 0));
              }
              if (redirect.get() instanceof RedirectPolicy.Refuse) {
                String why = ((RedirectPolicy.Refuse) redirect.get()).reason();
                return CompletableFuture.failedFuture(
                    new RegistryException(
                        req.method() + " " + Urls.print(uri, secrets) + ": " + why,
                        s,
                        List.of(),
                        null));
              }
              RedirectPolicy.Follow follow = (RedirectPolicy.Follow) redirect.get();
              // Credentials stay with the origin that asked for them.
              return exchange(
                  req, follow.next(), follow.keepAuthorization() ? authorization : null, hops + 1);
            });
  }

  /**
   * The body of {@code resp}: as received when it succeeded (manifests are hashed, tokens used),
   * and scrubbed of every secret we sent when it is an error, which is only ever quoted.
   */
  private byte[] errorBody(HttpResponse<byte[]> resp) {
    return resp.statusCode() / 100 == 2 ? resp.body() : secrets.scrub(resp.body());
  }

  private void emit(HttpRequest request, @Nullable HttpResponse<?> resp, long startNanos) {
    RequestListener listener = config.listener();
    if (listener == null) {
      return;
    }
    try {
      listener.onRequest(
          new RequestEvent(
              request.method(),
              Urls.printable(request.uri(), secrets),
              resp == null ? 0 : resp.statusCode(),
              Duration.ofNanos(System.nanoTime() - startNanos),
              resp == null ? null : resp.headers().firstValue("RateLimit-Remaining").orElse(null)));
    } catch (RuntimeException ignored) {
      // A listener must not break a resolution.
    }
  }

  static String describe(Throwable t) {
    String name = t.getClass().getSimpleName();
    String msg = t.getMessage();
    return msg == null || msg.isBlank() ? name : name + ": " + msg;
  }

  static <T> CompletableFuture<T> failed(Throwable t) {
    return CompletableFuture.failedFuture(t);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Fails at once when Content-Length already exceeds the cap, reading nothing. */
  private static final class TooLargeUpFront implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final long cap;

    TooLargeUpFront(long cap) {
      this.cap = cap;
    }

    @Override
    public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
      s.cancel();
      result.completeExceptionally(new CappedBody.TooLargeException(cap));
    }

    @Override
    public void onNext(List<java.nio.ByteBuffer> item) {}

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.completeExceptionally(new CappedBody.TooLargeException(cap));
    }

    @Override
    public java.util.concurrent.CompletionStage<byte[]> getBody() {
      return result;
    }
  }

  /** Exposes whether a body failure was the size cap. */
  public static boolean isTooLarge(Throwable t) {
    return Futures.unwrap(t) instanceof CappedBody.TooLargeException;
  }
}
