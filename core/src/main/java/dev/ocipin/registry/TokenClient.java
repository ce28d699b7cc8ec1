package dev.ocipin.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ocipin.auth.Credential;
import dev.ocipin.internal.http.CappedBody;
import dev.ocipin.internal.http.Futures;
import dev.ocipin.internal.http.Retrier;
import dev.ocipin.internal.http.Secrets;
import dev.ocipin.internal.json.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Gets pull tokens from a registry's token service, as distribution's token-auth spec and Docker's
 * OAuth2 flow describe: checks the realm with {@link RealmPolicy}, sends the request, retries a GET
 * that fails in passing, and reads {@code token} or {@code access_token}, {@code expires_in} (at
 * least 60 s, at most a day) and {@code issued_at}. Every failure is a typed {@link
 * RegistryException} naming the registry and the token host.
 *
 * <p>Thread-safe.
 */
final class TokenClient {
  private static final Duration MIN_TOKEN_LIFETIME = Duration.ofSeconds(60);
  private static final Duration MAX_TOKEN_LIFETIME = Duration.ofDays(1);

  private final Exchange exchange;
  private final Retrier<Transport.Response> retrier;
  private final Secrets secrets;
  private final Clock clock;
  private final LongSupplier ticker;
  private final boolean credentialsOverPlainHttp;

  TokenClient(
      Exchange exchange,
      Retrier<Transport.Response> retrier,
      Secrets secrets,
      Clock clock,
      LongSupplier ticker,
      boolean credentialsOverPlainHttp) {
    this.exchange = exchange;
    this.retrier = retrier;
    this.secrets = secrets;
    this.clock = clock;
    this.ticker = ticker;
    this.credentialsOverPlainHttp = credentialsOverPlainHttp;
  }

  /**
   * Fetches a token for {@code scopes} from {@code realm}, the realm {@code endpoint}'s own
   * challenge named: with a refresh token, Docker's OAuth2 POST (falling back to the GET flow on
   * 404 or 405); else a GET with the {@code scope} parameter repeated, with Basic credentials if
   * there are any. Credentials go over plain HTTP only to loopback, or when allowed.
   */
  CompletableFuture<TokenCache.Token> fetch(
      String realm, String service, SortedSet<String> scopes, Credential cred, Endpoint endpoint) {
    Optional<String> problem = RealmPolicy.problemWith(endpoint, realm, secrets);
    if (problem.isPresent()) {
      return CompletableFuture.failedFuture(tokenError(endpoint, problem.get(), null));
    }
    URI realmUri = URI.create(realm);
    String scheme = realmUri.getScheme().toLowerCase(Locale.ROOT);
    boolean mayCarryCredentials =
        !scheme.equals("http")
            || Endpoint.isLoopback(realmUri.getHost())
            || credentialsOverPlainHttp;
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
          exchange
              .request(withQuery(realmUri, ""))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(form))
              .build();
      return tokenFailures(exchange.token(post), realmUri, endpoint)
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

  private CompletableFuture<Transport.Response> getToken(
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
    HttpRequest.Builder b = exchange.request(uri).GET();
    if (basic != null) {
      secrets.addAuthorization(basic);
      b.header("Authorization", basic);
    }
    HttpRequest request = b.build();
    return tokenFailures(
        retrier.run("GET", () -> exchange.token(request), retrier.deadlineFromNow()),
        uri,
        endpoint);
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

  /** Turns a token request's final failure, after any retries, into a typed exception. */
  private static CompletableFuture<Transport.Response> tokenFailures(
      CompletableFuture<Transport.Response> response, URI uri, Endpoint endpoint) {
    return response.handle(
        (resp, e) -> {
          if (e == null) {
            return resp;
          }
          Throwable cause = Futures.unwrap(e);
          if (cause instanceof CappedBody.TooLargeException) {
            throw new CompletionException(
                tokenError(
                    endpoint,
                    "its token response exceeds " + Exchange.TOKEN_BODY_CAP + " bytes",
                    null));
          }
          if (cause instanceof RegistryException) {
            throw new CompletionException(cause);
          }
          throw new CompletionException(
              new RegistryException(
                  "token request to "
                      + ResponseErrors.hostAndPort(uri)
                      + " for "
                      + endpoint.registry()
                      + " failed: "
                      + ResponseErrors.describe(cause),
                  0,
                  List.of(),
                  cause));
        });
  }

  private TokenCache.Token parseToken(Transport.Response resp, Endpoint endpoint, Credential cred) {
    String host = ResponseErrors.hostAndPort(resp.uri());
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
              "token request to " + host + " for " + endpoint.registry(), resp, null, clock));
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
    Instant now = clock.instant();
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
    return new TokenCache.Token(value, issued.plus(lifetime), ticker.getAsLong());
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

  static String basicHeader(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
