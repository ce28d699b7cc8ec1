package dev.ocipin.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.auth.Credential;
import dev.ocipin.auth.CredentialChain;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The token service protocol, against a token server on loopback. */
class TokenClientTest {
  private final EngineFixture f = new EngineFixture(CredentialChain.of());

  @AfterEach
  void close() {
    f.close();
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  private TokenCache.Token fetch(Credential cred, String... scopes) {
    return f.tokenClient()
        .fetch(f.realm(), "reg", new TreeSet<>(List.of(scopes)), cred, f.endpoint())
        .join();
  }

  @Test
  void get_repeatsTheScope_andSendsBasicCredentials() throws Exception {
    f.server.enqueue(json(200, "{\"token\":\"t1\",\"expires_in\":300}"));
    assertEquals(
        "t1", fetch(Credential.basic("u", "p"), "repository:a:pull", "repository:b:pull").value());
    RecordedRequest r = f.server.takeRequest();
    assertEquals("GET", r.getMethod());
    assertEquals(
        "/token?service=reg&scope=repository%3Aa%3Apull&scope=repository%3Ab%3Apull",
        r.getTarget());
    assertEquals("Basic dTpw", r.getHeaders().get("Authorization"));
  }

  @Test
  void refreshToken_postsOAuth2_andFallsBackToGetOn404() throws Exception {
    f.server.enqueue(json(404, "{}"));
    f.server.enqueue(json(200, "{\"access_token\":\"t2\"}"));
    assertEquals("t2", fetch(Credential.identityToken("refresh-me"), "repository:a:pull").value());
    RecordedRequest post = f.server.takeRequest();
    assertEquals("POST", post.getMethod());
    assertTrue(post.getBody().utf8().contains("grant_type=refresh_token"));
    assertTrue(post.getBody().utf8().contains("refresh_token=refresh-me"));
    RecordedRequest get = f.server.takeRequest();
    assertEquals("GET", get.getMethod());
    assertNull(get.getHeaders().get("Authorization"), "the refresh token is not a password");
  }

  @Test
  void expiresIn_isAtLeastSixtySeconds() {
    f.server.enqueue(json(200, "{\"token\":\"t\",\"expires_in\":3}"));
    TokenCache.Token t = fetch(Credential.anonymous(), "repository:a:pull");
    assertTrue(
        t.expires().isAfter(java.time.Instant.now().plusSeconds(55)), t.expires().toString());
  }

  @Test
  void refused_isAnAuthenticationExceptionNamingTheTokenHost() {
    f.server.enqueue(json(401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"no\"}]}"));
    CompletionException e =
        assertThrows(
            CompletionException.class,
            () -> fetch(Credential.basic("u", "p"), "repository:a:pull"));
    assertTrue(e.getCause() instanceof AuthenticationException, e.getCause().toString());
    assertTrue(e.getCause().getMessage().contains("refused the token request to " + f.host()));
  }

  @Test
  void neitherTokenNorAccessToken_isATypedError() {
    f.server.enqueue(json(200, "{\"other\":1}"));
    CompletionException e =
        assertThrows(
            CompletionException.class, () -> fetch(Credential.anonymous(), "repository:a:pull"));
    assertTrue(e.getCause().getMessage().contains("neither token nor access_token"));
  }

  @Test
  void transientFailure_ofTheGet_isRetried() {
    f.server.enqueue(json(503, "{}"));
    f.server.enqueue(json(200, "{\"token\":\"t3\"}"));
    assertEquals("t3", fetch(Credential.anonymous(), "repository:a:pull").value());
    assertEquals(2, f.server.getRequestCount());
  }
}
