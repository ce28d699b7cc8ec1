package dev.ocipin.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which 401s teach a registry's challenge: only the registry's own, to a request sent there. */
class ChallengeCacheTest {
  private static final Endpoint GHCR = Endpoint.of("ghcr.io", Set.of(), Set.of());

  private static Transport.Response unauthorized(String uri, boolean redirected, String... auth) {
    HttpHeaders headers = HttpHeaders.of(Map.of("WWW-Authenticate", List.of(auth)), (k, v) -> true);
    return new Transport.Response(401, headers, new byte[0], URI.create(uri), redirected);
  }

  @Test
  void registrysOwn401_teachesItsChallenge_bearerBeforeBasic() {
    ChallengeCache cache = new ChallengeCache(null);
    ChallengeCache.Learned learned =
        cache
            .learn(
                GHCR,
                unauthorized(
                    "https://ghcr.io/v2/a/manifests/1",
                    false,
                    "Basic realm=\"r\"",
                    "Bearer realm=\"https://ghcr.io/token\""))
            .orElseThrow();
    assertTrue(learned.challenge().isBearer());
    assertTrue(learned.first() && learned.changed());
    assertTrue(cache.knows("ghcr.io"));
  }

  @Test
  void theSameChallengeAgain_isNotAChange() {
    ChallengeCache cache = new ChallengeCache(null);
    String bearer = "Bearer realm=\"https://ghcr.io/token\"";
    cache.learn(GHCR, unauthorized("https://ghcr.io/v2/", false, bearer));
    ChallengeCache.Learned again =
        cache.learn(GHCR, unauthorized("https://ghcr.io/v2/", false, bearer)).orElseThrow();
    assertFalse(again.first() || again.changed());
  }

  @Test
  void redirectTargets401_teachesNothing() {
    ChallengeCache cache = new ChallengeCache(null);
    assertTrue(
        cache
            .learn(
                GHCR,
                unauthorized(
                    "https://storage.example/blob?sig=x",
                    true,
                    "Bearer realm=\"https://thief.example/token\""))
            .isEmpty());
    assertFalse(cache.knows("ghcr.io"));
  }

  @Test
  void sameOriginButRedirected_orAnotherOrigin_teachesNothing() {
    ChallengeCache cache = new ChallengeCache(null);
    String bearer = "Bearer realm=\"https://thief.example/token\"";
    assertTrue(cache.learn(GHCR, unauthorized("https://ghcr.io/v2/x", true, bearer)).isEmpty());
    assertTrue(
        cache.learn(GHCR, unauthorized("https://ghcr.io:8443/v2/x", false, bearer)).isEmpty());
    assertTrue(cache.learn(GHCR, unauthorized("http://ghcr.io/v2/x", false, bearer)).isEmpty());
    assertFalse(cache.knows("ghcr.io"));
  }

  @Test
  void noUsableChallenge_teachesNothing() {
    ChallengeCache cache = new ChallengeCache(null);
    assertEquals(
        java.util.Optional.empty(),
        cache.learn(GHCR, unauthorized("https://ghcr.io/v2/", false, "Negotiate abc==")));
  }
}
