package dev.ocipin.registry;

import dev.ocipin.auth.Credential;
import dev.ocipin.internal.http.Secrets;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Chooses the {@code Authorization} header of a registry request from the registry's own challenge
 * and the credential for the repository: Bearer before Basic, tokens from the {@link TokenCache},
 * and no credential over plain HTTP except to loopback or when the caller allows it. Every secret
 * it puts in a header is remembered, so what servers echo back can be scrubbed.
 *
 * <p>Thread-safe.
 */
final class Authorizer {
  /**
   * An authorization: the header (none when the request goes without), whether it is {@code fresh}
   * (obtained during this request, so a 401 with it is final), and the bearer token it carries, if
   * any.
   */
  record Auth(@Nullable String header, boolean fresh, @Nullable String token) {
    static final Auth NONE = new Auth(null, false, null);
  }

  private final ChallengeCache challenges;
  private final CredentialLookup credentials;
  private final TokenCache tokens;
  private final TokenClient tokenClient;
  private final Secrets secrets;
  private final boolean credentialsOverPlainHttp;

  Authorizer(
      ChallengeCache challenges,
      CredentialLookup credentials,
      TokenCache tokens,
      TokenClient tokenClient,
      Secrets secrets,
      boolean credentialsOverPlainHttp) {
    this.challenges = challenges;
    this.credentials = credentials;
    this.tokens = tokens;
    this.tokenClient = tokenClient;
    this.secrets = secrets;
    this.credentialsOverPlainHttp = credentialsOverPlainHttp;
  }

  /** Whether credentials and tokens may be sent to this endpoint. */
  boolean credentialsAllowed(Endpoint e) {
    return !e.plainHttp() || e.loopback() || credentialsOverPlainHttp;
  }

  /**
   * Returns the authorization for a request to {@code req}'s registry: none while its challenge is
   * unknown (the first request learns it) or when credentials may not travel to it; Basic for a
   * Basic challenge; the registry token as is; else a Bearer token for the repository's pull scope.
   * {@code previous} is the authorization a 401 just refused, so a token fetched before {@code
   * start} is replaced.
   */
  CompletableFuture<Auth> authorize(Transport.Request req, @Nullable Auth previous, long start) {
    Challenge c = challenges.get(req.endpoint().registry()).orElse(null);
    if (c == null) {
      return CompletableFuture.completedFuture(Auth.NONE);
    }
    if (!credentialsAllowed(req.endpoint())) {
      return CompletableFuture.completedFuture(new Auth(null, true, null));
    }
    return credentials
        .lookup(req.endpoint().registry(), req.repository())
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

  static SortedSet<String> scopesFor(String repository) {
    SortedSet<String> s = new TreeSet<>();
    s.add("repository:" + repository + ":pull");
    return s;
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
