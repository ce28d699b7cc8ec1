package dev.ocipin.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.auth.Credential;
import java.util.Set;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which Authorization a request gets, from the registry's challenge and the credential. */
class AuthorizerTest {
  private EngineFixture f;
  private ChallengeCache challenges;
  private Authorizer authorizer;

  private void setUp(Credential credential, String challenge) {
    f = new EngineFixture((registry, repo) -> java.util.Optional.of(credential));
    challenges = new ChallengeCache(null);
    TokenCache tokens = new TokenCache(f.config.clock(), f.config.ticker(), null);
    CredentialLookup lookup =
        new CredentialLookup(f.config.credentials(), Runnable::run, f.config.ticker());
    authorizer = new Authorizer(challenges, lookup, tokens, f.tokenClient(), f.secrets, false);
    if (!challenge.isEmpty()) {
      f.learn(challenges, challenge);
    }
  }

  @AfterEach
  void close() {
    f.close();
  }

  private Authorizer.Auth authorize() {
    return authorizer.authorize(f.get("/v2/library/ruby/manifests/1"), null, 0).join();
  }

  @Test
  void unknownChallenge_sendsNothing() {
    setUp(Credential.basic("u", "p"), "");
    assertNull(authorize().header());
    assertEquals(0, f.server.getRequestCount());
  }

  @Test
  void basicChallenge_sendsBasic_andRemembersThePassword() {
    setUp(Credential.basic("u", "pass-word"), "Basic realm=\"r\"");
    assertEquals("Basic dTpwYXNzLXdvcmQ=", authorize().header());
    assertEquals("<redacted>", f.secrets.scrub("pass-word"));
  }

  @Test
  void bearerChallenge_fetchesATokenOnce_forTheRepositoryScope() throws Exception {
    setUp(Credential.basic("u", "p"), "");
    // A challenge naming this fixture's own token endpoint.
    f.learn(challenges, f.bearer());
    f.server.enqueue(new MockResponse.Builder().code(200).body("{\"token\":\"tk\"}").build());
    Authorizer.Auth a = authorize();
    assertEquals("Bearer tk", a.header());
    assertTrue(a.fresh());
    assertEquals("Bearer tk", authorize().header());
    assertEquals(1, f.server.getRequestCount());
    assertTrue(
        f.server.takeRequest().getTarget().endsWith("scope=repository%3Alibrary%2Fruby%3Apull"));
  }

  @Test
  void registryToken_isSentAsIs() {
    setUp(Credential.registryToken("reg-token"), "Bearer realm=\"https://auth.example/token\"");
    assertEquals("Bearer reg-token", authorize().header());
    assertEquals(0, f.server.getRequestCount());
  }

  @Test
  void plainHttpToANonLoopbackRegistry_carriesNoCredentials() {
    setUp(Credential.basic("u", "p"), "");
    Endpoint remote =
        Endpoint.of("registry.example:5000", Set.of("registry.example:5000"), Set.of());
    assertFalse(authorizer.credentialsAllowed(remote));
    assertTrue(authorizer.credentialsAllowed(f.endpoint()), "loopback may");
  }
}
