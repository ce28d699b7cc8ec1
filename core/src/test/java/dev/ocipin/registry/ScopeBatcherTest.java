package dev.ocipin.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.auth.Credential;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tokens for a batch: several scopes per token request, filed under each single scope. */
class ScopeBatcherTest {
  private final EngineFixture f =
      new EngineFixture((registry, repo) -> Optional.of(Credential.basic("u", "p")));
  private final List<String> tokenTargets = new CopyOnWriteArrayList<>();
  private TokenCache tokens;
  private ScopeBatcher batcher;

  @AfterEach
  void close() {
    f.close();
  }

  /** A token server whose JWT grants every scope asked, or only the first when {@code stingy}. */
  private void serve(boolean stingy) {
    f.server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            tokenTargets.add(r.getTarget());
            List<String> repos = new ArrayList<>();
            for (String part : r.getTarget().split("[?&]")) {
              if (part.startsWith("scope=")) {
                String scope =
                    java.net.URLDecoder.decode(
                        part.substring(6), java.nio.charset.StandardCharsets.UTF_8);
                repos.add(scope.split(":")[1]);
              }
            }
            StringBuilder access = new StringBuilder("[");
            for (int i = 0; i < (stingy ? 1 : repos.size()); i++) {
              access
                  .append(i == 0 ? "" : ",")
                  .append("{\"type\":\"repository\",\"name\":\"")
                  .append(repos.get(i))
                  .append("\",\"actions\":[\"pull\"]}");
            }
            String claims = "{\"access\":" + access + "]}";
            String jwt =
                "e30."
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes())
                    + ".sig";
            return new MockResponse.Builder().code(200).body("{\"token\":\"" + jwt + "\"}").build();
          }
        });
    ChallengeCache challenges = new ChallengeCache(null);
    f.learn(challenges, f.bearer());
    tokens = new TokenCache(f.config.clock(), f.config.ticker(), null);
    CredentialLookup lookup =
        new CredentialLookup(f.config.credentials(), Runnable::run, f.config.ticker());
    Authorizer authorizer =
        new Authorizer(challenges, lookup, tokens, f.tokenClient(), f.secrets, false);
    batcher = new ScopeBatcher(challenges, lookup, tokens, f.tokenClient(), authorizer, 10);
  }

  private TokenCache.Key key(String repo) {
    return new TokenCache.Key(
        f.host(),
        f.realm(),
        "s",
        new TreeSet<>(List.of("repository:" + repo + ":pull")),
        Credential.basic("u", "p"));
  }

  private static List<String> repos(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("lib/app" + i);
    }
    return out;
  }

  @Test
  void twelveRepositories_twoTokenRequests_eachScopeFiled() {
    serve(false);
    batcher.prefetch(f.endpoint(), repos(12)).join();
    assertEquals(2, tokenTargets.size());
    assertEquals(
        10,
        tokenTargets.get(0).split("scope=").length
            - 1
            + (tokenTargets.get(1).split("scope=").length - 1)
            - 2);
    for (String r : repos(12)) {
      assertTrue(tokens.usable(key(r)), r);
    }
    // Warm: nothing left to fetch.
    batcher.prefetch(f.endpoint(), repos(12)).join();
    assertEquals(2, tokenTargets.size());
  }

  @Test
  void issuerGrantingOneScope_fallsBackToATokenPerRepository() {
    serve(true);
    batcher.prefetch(f.endpoint(), repos(3)).join();
    // One merged request, then one for each of the two repositories it did not grant; those
    // fallbacks run on after the prefetch, filed in the cache while in flight.
    for (int i = 0; i < 200 && tokenTargets.size() < 3; i++) {
      Thread.onSpinWait();
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    assertEquals(3, tokenTargets.size());
    for (String r : repos(3)) {
      assertTrue(tokens.usable(key(r)), r);
    }
  }
}
