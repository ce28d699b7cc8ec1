package dev.ocipin.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ocipin.auth.Credential;
import dev.ocipin.internal.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Fetches the pull tokens of a batch ahead of its requests, several repositories' scopes in one
 * token request (distribution's token service takes the {@code scope} parameter repeated), so a
 * batch of N repositories costs about N/k token requests instead of N. Each token is filed under
 * every single repository's scope it grants, so the requests that follow find it in the {@link
 * TokenCache}; a repository the issuer did not grant (read from the JWT {@code access} claim) falls
 * back to a token of its own.
 *
 * <p>Thread-safe.
 */
final class ScopeBatcher {
  private final ChallengeCache challenges;
  private final CredentialLookup credentials;
  private final TokenCache tokens;
  private final TokenClient tokenClient;
  private final Authorizer authorizer;
  private final int scopesPerRequest;

  ScopeBatcher(
      ChallengeCache challenges,
      CredentialLookup credentials,
      TokenCache tokens,
      TokenClient tokenClient,
      Authorizer authorizer,
      int scopesPerRequest) {
    this.challenges = challenges;
    this.credentials = credentials;
    this.tokens = tokens;
    this.tokenClient = tokenClient;
    this.authorizer = authorizer;
    this.scopesPerRequest = scopesPerRequest;
  }

  /**
   * Fetches pull tokens for {@code repositories} of {@code endpoint} ahead of their requests,
   * merging up to {@code scopesPerTokenRequest} scopes into one token request. Repositories that
   * already have a valid token are skipped. When the issuer does not grant every scope it was asked
   * for (read from the JWT's {@code access} claim), the missing ones fall back to a token of their
   * own. Never fails; a failed prefetch leaves each request to fetch its own token.
   */
  CompletableFuture<Void> prefetch(Endpoint endpoint, Collection<String> repositories) {
    Challenge c = challenges.get(endpoint.registry()).orElse(null);
    if (c == null || !c.isBearer() || !authorizer.credentialsAllowed(endpoint)) {
      return CompletableFuture.completedFuture(null);
    }
    List<String> repos = new ArrayList<>(new LinkedHashSet<>(repositories));
    List<CompletableFuture<Credential>> creds = new ArrayList<>();
    for (String r : repos) {
      creds.add(credentials.lookup(endpoint.registry(), r));
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
                        endpoint.registry(),
                        realm,
                        service,
                        Authorizer.scopesFor(repos.get(i)),
                        cred);
                if (tokens.usable(single)) {
                  continue;
                }
                byCredential.computeIfAbsent(cred, k -> new ArrayList<>()).add(repos.get(i));
              }
              List<CompletableFuture<?>> all = new ArrayList<>();
              int k = Math.max(1, scopesPerRequest);
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
    repos.forEach(r -> scopes.addAll(Authorizer.scopesFor(r)));
    CompletableFuture<TokenCache.Token> fetch =
        tokenClient.fetch(realm, service, scopes, cred, endpoint);
    for (String repo : repos) {
      SortedSet<String> one = Authorizer.scopesFor(repo);
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
}
