package dev.ocipin.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.auth.CredentialChain;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One exchange: headers sent, redirects by hand, error bodies scrubbed, one event per request. */
class ExchangeTest {
  private final EngineFixture f = new EngineFixture(CredentialChain.of());

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void sendsUserAgentAcceptAndAuthorization() throws Exception {
    f.server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
    Transport.Response r = f.exchange.send(f.get("/v2/x"), "Bearer tok-123").join();
    assertEquals(200, r.status());
    assertFalse(r.redirected());
    RecordedRequest sent = f.server.takeRequest();
    assertEquals("ocipin-test", sent.getHeaders().get("User-Agent"));
    assertEquals("*/*", sent.getHeaders().get("Accept"));
    assertEquals("Bearer tok-123", sent.getHeaders().get("Authorization"));
    assertEquals(1, f.events.size());
  }

  @Test
  void sameOriginRedirect_keepsAuthorization_andMarksTheAnswerRedirected() throws Exception {
    f.server.enqueue(new MockResponse.Builder().code(307).addHeader("Location", "/moved").build());
    f.server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
    Transport.Response r = f.exchange.send(f.get("/v2/x"), "Bearer tok-123").join();
    assertTrue(r.redirected());
    f.server.takeRequest();
    assertEquals("Bearer tok-123", f.server.takeRequest().getHeaders().get("Authorization"));
    assertEquals(2, f.events.size());
  }

  @Test
  void errorBody_isScrubbedOfSentSecrets_successBodyIsNot() throws Exception {
    f.server.enqueue(new MockResponse.Builder().code(500).body("you sent tok-123").build());
    Transport.Response r = f.exchange.send(f.get("/v2/x"), "Bearer tok-123").join();
    assertEquals(
        "you sent <redacted>", new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
    f.server.enqueue(new MockResponse.Builder().code(200).body("tok-123").build());
    Transport.Response ok = f.exchange.send(f.get("/v2/y"), "Bearer tok-123").join();
    assertEquals("tok-123", new String(ok.body(), java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void head_readsNoBody() throws Exception {
    f.server.enqueue(new MockResponse.Builder().code(200).addHeader("X-A", "1").build());
    Transport.Request head =
        new Transport.Request(f.endpoint(), "library/ruby", "HEAD", "/v2/x", null, 10, null);
    Transport.Response r = f.exchange.send(head, null).join();
    assertEquals(0, r.body().length);
    assertNull(f.server.takeRequest().getHeaders().get("Authorization"));
  }
}
