package dev.ocipin;

import static dev.ocipin.MockRegistry.bearerChallenge;
import static dev.ocipin.MockRegistry.fixture;
import static dev.ocipin.MockRegistry.head;
import static dev.ocipin.MockRegistry.manifest;
import static dev.ocipin.MockRegistry.response;
import static dev.ocipin.MockRegistry.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.auth.Credential;
import dev.ocipin.auth.StaticCredentials;
import dev.ocipin.model.InvalidManifestException;
import dev.ocipin.model.UnsupportedManifestException;
import dev.ocipin.registry.DigestMismatchException;
import dev.ocipin.registry.ManifestTooLargeException;
import dev.ocipin.registry.RateLimitedException;
import dev.ocipin.registry.RegistryException;
import dev.ocipin.registry.RequestEvent;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault matrix: for each way a registry or network can misbehave, the outcome and the exact
 * number of requests. Every resolver here is configured with known secrets, and every message, log
 * line and listener event the matrix produces is checked for them at the end.
 */
class FaultMatrixTest {
  private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  private static final byte[] INDEX = fixture("dockerhub-ruby-index.json");
  private static final Digest INDEX_DIGEST = Digest.sha256(INDEX);
  private static final String PASSWORD = "S3cret-Pa55w0rd-matrix";
  private static final String REFRESH = "refresh-token-matrix-0123456789";

  /** Everything the matrix printed, raised or logged, checked for secrets in {@link #noSecrets}. */
  private static final List<String> SEEN = new CopyOnWriteArrayList<>();

  private static final Handler CAPTURE =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          SEEN.add(
              String.valueOf(r.getMessage()) + " " + java.util.Arrays.toString(r.getParameters()));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private MockRegistry registry;

  @BeforeAll
  static void captureLogs() {
    Logger.getLogger("").addHandler(CAPTURE);
  }

  @AfterAll
  static void noSecrets() {
    Logger.getLogger("").removeHandler(CAPTURE);
    assertTrue(SEEN.size() > 20, "the matrix produced output to check: " + SEEN.size());
    for (String s : SEEN) {
      assertFalse(s.contains(PASSWORD), s);
      assertFalse(s.contains(REFRESH), s);
    }
  }

  @BeforeEach
  void start() {
    registry = new MockRegistry();
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private DigestResolver.Builder builder() {
    return TestResolvers.plainHttp()
        .credentials(StaticCredentials.of(registry.host(), Credential.basic("matrix", PASSWORD)))
        .listener(e -> SEEN.add(e.toString()))
        .retryBaseDelay(Duration.ofMillis(1));
  }

  private String ruby() {
    return registry.host() + "/library/ruby:3.3.0-slim";
  }

  private static <T extends Throwable> T expect(Class<T> type, ThrowingRunnable r) {
    T e = assertThrows(type, r::run);
    StringWriter w = new StringWriter();
    e.printStackTrace(new PrintWriter(w));
    SEEN.add(w.toString());
    return e;
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  private MockResponse indexResponse() {
    return manifest(INDEX, OCI_INDEX);
  }

  @Test
  void connectionResetMidBody_isRetried() throws Exception {
    registry.enqueue(
        response(200)
            .addHeader("Content-Type", OCI_INDEX)
            .body(new Buffer().write(INDEX))
            .onResponseBody(new SocketEffect.CloseSocket(true, false, false))
            .build());
    registry.enqueue(indexResponse());
    assertEquals(INDEX_DIGEST, builder().build().resolveIndex(ruby()).digest());
    assertEquals(2, registry.server.getRequestCount());
  }

  @Test
  void truncatedBody_everyTime_failsAfterMaxAttempts() {
    for (int i = 0; i < 3; i++) {
      registry.enqueue(
          response(200)
              .addHeader("Content-Type", OCI_INDEX)
              .body(new Buffer().write(INDEX, 0, 100))
              .setHeader("Content-Length", INDEX.length)
              .onResponseEnd(new SocketEffect.CloseSocket(true, false, false))
              .build());
    }
    RegistryException e =
        expect(
            RegistryException.class, () -> builder().maxAttempts(3).build().resolveIndex(ruby()));
    assertTrue(e.getMessage().startsWith("GET manifest " + ruby() + ": "), e.getMessage());
    assertEquals(3, registry.server.getRequestCount());
  }

  @Test
  void slowBodyPastTheTimeout_isAbortedAndRetried() throws Exception {
    registry.enqueue(
        response(200)
            .addHeader("Content-Type", OCI_INDEX)
            .body(new Buffer().write(INDEX))
            .throttleBody(64, 1, TimeUnit.SECONDS)
            .build());
    registry.enqueue(indexResponse());
    ResolvedIndex idx =
        builder().requestTimeout(Duration.ofMillis(500)).build().resolveIndex(ruby());
    assertEquals(INDEX_DIGEST, idx.digest());
    assertEquals(2, registry.server.getRequestCount());
  }

  @Test
  void slowBody_everyTime_failsWithATimeoutNamingTheHost() {
    for (int i = 0; i < 2; i++) {
      registry.enqueue(
          response(200)
              .addHeader("Content-Type", OCI_INDEX)
              .body(new Buffer().write(INDEX))
              .throttleBody(64, 1, TimeUnit.SECONDS)
              .build());
    }
    RegistryException e =
        expect(
            RegistryException.class,
            () ->
                builder()
                    .maxAttempts(2)
                    .requestTimeout(Duration.ofMillis(300))
                    .build()
                    .resolveIndex(ruby()));
    assertTrue(e.getMessage().contains("did not finish answering within 300 ms"), e.getMessage());
  }

  @Test
  void tooManyRequests_retryAfterSeconds_storm_thenSuccess() throws Exception {
    for (int i = 0; i < 3; i++) {
      registry.enqueue(response(429).addHeader("Retry-After", "0").build());
    }
    registry.enqueue(head(INDEX, OCI_INDEX));
    assertEquals(INDEX_DIGEST, builder().build().digest(ruby()));
    assertEquals(4, registry.server.getRequestCount());
  }

  @Test
  void tooManyRequests_retryAfterHttpDate_isHonoured() throws Exception {
    Instant now = Instant.parse("2026-11-26T12:00:00Z");
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(now.atOffset(ZoneOffset.UTC));
    registry.enqueue(response(429).addHeader("Retry-After", date).build());
    registry.enqueue(head(INDEX, OCI_INDEX));
    Digest d = builder().clock(new DigestResolverTest.MutableClock(now)).build().digest(ruby());
    assertEquals(INDEX_DIGEST, d);
    assertEquals(2, registry.server.getRequestCount());
  }

  @Test
  void tooManyRequests_waitOverTheCap_failsAtOnceWithTheWait() {
    Instant now = Instant.parse("2026-11-26T12:00:00Z");
    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(3600).atOffset(ZoneOffset.UTC));
    registry.enqueue(response(429).addHeader("Retry-After", date).build());
    RateLimitedException e =
        expect(
            RateLimitedException.class,
            () -> builder().clock(new DigestResolverTest.MutableClock(now)).build().digest(ruby()));
    assertEquals(Duration.ofHours(1), e.retryAfter().orElseThrow());
    assertEquals(1, registry.server.getRequestCount());
  }

  @Test
  void tooManyRequests_storm_beyondAttempts_isRateLimited() {
    for (int i = 0; i < 4; i++) {
      registry.enqueue(response(429).addHeader("Retry-After", "0").build());
    }
    expect(RateLimitedException.class, () -> builder().build().digest(ruby()));
    assertEquals(4, registry.server.getRequestCount());
  }

  @Test
  void flappingTokenEndpoint_isRetried() throws Exception {
    registry.enqueue(
        bearerChallenge(registry.realm(), "registry.docker.io", "repository:library/ruby:pull"));
    registry.enqueue(response(503).build());
    registry.enqueue(response(502).body("<html>bad gateway</html>").build());
    registry.enqueue(token("t", 300));
    registry.enqueue(head(INDEX, OCI_INDEX));
    assertEquals(INDEX_DIGEST, builder().build().digest(ruby()));
    assertEquals(5, registry.server.getRequestCount());
  }

  @Test
  void tokenEndpointDroppingTheConnection_isRetried() throws Exception {
    registry.enqueue(
        bearerChallenge(registry.realm(), "registry.docker.io", "repository:library/ruby:pull"));
    registry.enqueue(
        response(200)
            .addHeader("Content-Type", "application/json")
            .body("{\"token\":\"cut-off")
            .setHeader("Content-Length", 200)
            .onResponseEnd(new SocketEffect.CloseSocket(true, false, false))
            .build());
    registry.enqueue(token("t", 300));
    registry.enqueue(head(INDEX, OCI_INDEX));
    assertEquals(INDEX_DIGEST, builder().build().digest(ruby()));
    assertEquals(4, registry.server.getRequestCount());
  }

  @Test
  void serverErrors_areNotRetriedForAnOAuthPost() {
    registry.enqueue(
        bearerChallenge(registry.realm(), "registry.docker.io", "repository:library/ruby:pull"));
    registry.enqueue(response(503).build());
    DigestResolver r =
        TestResolvers.plainHttp()
            .credentials(StaticCredentials.of(registry.host(), Credential.identityToken(REFRESH)))
            .listener(e -> SEEN.add(e.toString()))
            .retryBaseDelay(Duration.ofMillis(1))
            .build();
    RegistryException e = expect(RegistryException.class, () -> r.digest(ruby()));
    assertEquals(2, registry.server.getRequestCount(), "the POST went once");
    assertTrue(e.getMessage().contains("503"), e.getMessage());
  }

  @Test
  void invalidJson_isTypedWithItsPosition() {
    registry.enqueue(
        response(200)
            .addHeader("Content-Type", OCI_INDEX)
            .body("{\"schemaVersion\":2,\"manifests\":[}")
            .build());
    InvalidManifestException e =
        expect(InvalidManifestException.class, () -> builder().build().resolveIndex(ruby()));
    assertTrue(e.getMessage().contains("not valid JSON at line 1, column"), e.getMessage());
  }

  @Test
  void htmlErrorPage_quotesASafePrefix() {
    registry.enqueue(
        response(200)
            .addHeader("Content-Type", "text/html")
            .body(
                "<html><head><title>Corporate proxy</title></head><body>Please log in\u0007</body></html>")
            .build());
    InvalidManifestException e =
        expect(InvalidManifestException.class, () -> builder().build().resolveIndex(ruby()));
    assertTrue(e.getMessage().contains("looks like HTML"), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains("\"<html><head><title>Corporate proxy</title></head><body>Pleas…\""),
        e.getMessage());
    assertFalse(e.getMessage().contains("\u0007"));
  }

  @Test
  void htmlErrorStatus_isTypedWithItsStatus() {
    registry.enqueue(response(403).body("<html><body>Forbidden by policy</body></html>").build());
    RegistryException e =
        expect(RegistryException.class, () -> builder().build().resolveIndex(ruby()));
    assertTrue(e.getMessage().contains("answered 403"), e.getMessage());
  }

  @Test
  void wrongMediaType_contradictingTheBody_isRejected() {
    registry.enqueue(
        response(200)
            .addHeader("Content-Type", "application/vnd.docker.distribution.manifest.v2+json")
            .body(new Buffer().write(INDEX))
            .build());
    InvalidManifestException e =
        expect(InvalidManifestException.class, () -> builder().build().resolveIndex(ruby()));
    assertTrue(e.getMessage().contains("contradicts the Content-Type"), e.getMessage());
  }

  @Test
  void schema1Body_isUnsupported() {
    registry.enqueue(
        response(200)
            .addHeader("Content-Type", "application/vnd.docker.distribution.manifest.v1+prettyjws")
            .body(new Buffer().write(fixture("schema1-signed.json")))
            .build());
    expect(UnsupportedManifestException.class, () -> builder().build().resolveIndex(ruby()));
  }

  @Test
  void lyingDigest_neverBecomesAPin() {
    Digest lie = Digest.sha256("not the body".getBytes(StandardCharsets.UTF_8));
    registry.enqueue(
        response(200)
            .addHeader("Content-Type", OCI_INDEX)
            .addHeader("Docker-Content-Digest", lie)
            .body(new Buffer().write(INDEX))
            .build());
    DigestMismatchException e =
        expect(DigestMismatchException.class, () -> builder().build().resolveIndex(ruby()));
    assertEquals(lie, e.expected());
  }

  @Test
  void lyingHeadDigest_isCaughtByVerifyDigests() throws Exception {
    Digest lie = Digest.sha256("not the body".getBytes(StandardCharsets.UTF_8));
    registry.enqueue(
        response(200)
            .addHeader("Content-Type", OCI_INDEX)
            .addHeader("Docker-Content-Digest", lie)
            .body(new Buffer().write(INDEX))
            .build());
    expect(DigestMismatchException.class, () -> builder().verifyDigests().build().digest(ruby()));
    assertEquals("GET", registry.take().getMethod());
  }

  @Test
  void oversizedManifest_declaredUpFront_isNotRead() {
    registry.enqueue(indexResponse());
    ManifestTooLargeException e =
        expect(
            ManifestTooLargeException.class,
            () -> builder().maxManifestBytes(100).build().resolveIndex(ruby()));
    assertEquals(100, e.limit());
    assertEquals(1, registry.server.getRequestCount(), "a size failure is not retried");
  }

  @Test
  void redirectLoop_stopsAfterTenHops() {
    for (int i = 0; i < 12; i++) {
      registry.enqueue(
          response(307).addHeader("Location", "/v2/library/ruby/manifests/again").build());
    }
    RegistryException e =
        expect(RegistryException.class, () -> builder().build().resolveIndex(ruby()));
    assertTrue(e.getMessage().contains("more than 10 redirects"), e.getMessage());
    assertEquals(11, registry.server.getRequestCount());
  }

  @Test
  void crossHostRedirect_dropsAuthorization() throws Exception {
    try (MockRegistry other = new MockRegistry()) {
      registry.enqueue(response(401).addHeader("WWW-Authenticate", "Basic realm=\"r\"").build());
      registry.enqueue(
          response(302).addHeader("Location", "http://" + other.host() + "/blob").build());
      other.enqueue(indexResponse());
      builder().build().resolveIndex(ruby());
      assertEquals(null, other.take().getHeaders().get("Authorization"));
    }
  }

  @Test
  void realmOnAnotherHost_getsTheCredentialsOnlyFromItsOwnRegistry() throws Exception {
    try (MockRegistry evil = new MockRegistry()) {
      registry.enqueue(
          bearerChallenge("http://" + evil.host() + "/steal", "x", "repository:library/ruby:pull"));
      evil.enqueue(token("t", 300));
      registry.enqueue(head(INDEX, OCI_INDEX));
      // A loopback registry may name a loopback realm; the chain has credentials for the registry
      // only, so the realm gets them because the registry asked, never for another registry.
      TestResolvers.plainHttp()
          .credentials(StaticCredentials.of("ghcr.io", Credential.basic("other", PASSWORD)))
          .build()
          .digest(ruby());
      assertEquals(
          null, evil.take().getHeaders().get("Authorization"), "no credentials for this registry");
    }
  }

  /** TLS: a self-signed certificate made by keytool, trusted through sslContext(). */
  @org.junit.jupiter.api.Nested
  class Tls {
    @TempDir Path dir;
    SSLContext server;
    SSLContext client;

    @BeforeEach
    void certificates() throws Exception {
      Path ks = dir.resolve("tls.p12");
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                  "-genkeypair",
                  "-alias",
                  "tls",
                  "-keyalg",
                  "EC",
                  "-groupname",
                  "secp256r1",
                  "-dname",
                  "CN=localhost",
                  "-ext",
                  "SAN=ip:127.0.0.1,dns:localhost",
                  "-validity",
                  "2",
                  "-storetype",
                  "PKCS12",
                  "-keystore",
                  ks.toString(),
                  "-storepass",
                  "changeit")
              .redirectErrorStream(true)
              .start();
      p.getInputStream().readAllBytes();
      assertEquals(0, p.waitFor());
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = new FileInputStream(ks.toFile())) {
        store.load(in, "changeit".toCharArray());
      }
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, "changeit".toCharArray());
      server = SSLContext.getInstance("TLS");
      server.init(kmf.getKeyManagers(), null, null);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      client = SSLContext.getInstance("TLS");
      client.init(null, tmf.getTrustManagers(), null);
      registry.server.useHttps(server.getSocketFactory());
    }

    @Test
    void customTrust_resolvesOverHttps() throws Exception {
      registry.enqueue(head(INDEX, OCI_INDEX));
      Digest d = builder().sslContext(registry.host(), client).build().digest(ruby());
      assertEquals(INDEX_DIGEST, d);
      assertTrue(registry.take().getHandshake() != null, "the request came over TLS");
    }

    @Test
    void http2_batchMultiplexesOverOneConnection() throws Exception {
      registry.server.setProtocols(List.of(okhttp3.Protocol.HTTP_2, okhttp3.Protocol.HTTP_1_1));
      registry.server.setDispatcher(
          new mockwebserver3.Dispatcher() {
            @Override
            public MockResponse dispatch(mockwebserver3.RecordedRequest request) {
              return manifest(INDEX, OCI_INDEX);
            }
          });
      List<String> refs = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        refs.add(registry.host() + "/library/app" + i + ":1");
      }
      List<ResolveResult> results =
          builder().sslContext(registry.host(), client).build().resolveAll(refs);
      assertTrue(results.stream().allMatch(ResolveResult::isSuccess), results.toString());
      java.util.Set<Integer> connections = new java.util.HashSet<>();
      for (int i = 0; i < 20; i++) {
        mockwebserver3.RecordedRequest r = registry.take();
        assertEquals("HTTP/2", r.getVersion());
        connections.add(r.getConnectionIndex());
      }
      assertEquals(1, connections.size(), "one TLS connection carried every request");
    }

    @Test
    void untrustedCertificate_fails() {
      registry.enqueue(head(INDEX, OCI_INDEX));
      SSLContext defaults;
      try {
        defaults = SSLContext.getDefault();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      RegistryException e =
          expect(
              RegistryException.class,
              () ->
                  builder()
                      .maxAttempts(1)
                      .sslContext(registry.host(), defaults)
                      .build()
                      .digest(ruby()));
      assertTrue(
          e.getMessage().contains("SSL") || e.getMessage().contains("certificat"), e.getMessage());
    }

    @Test
    void downgradeRedirect_httpsToHttp_isRefused() throws Exception {
      try (MockRegistry plain = new MockRegistry()) {
        registry.enqueue(
            response(307).addHeader("Location", "http://" + plain.host() + "/x").build());
        RegistryException e =
            expect(
                RegistryException.class,
                () -> builder().sslContext(registry.host(), client).build().resolveIndex(ruby()));
        assertTrue(
            e.getMessage().contains("refusing a redirect from https to http"), e.getMessage());
        assertEquals(0, plain.server.getRequestCount());
      }
    }

    @Test
    void plainHttpRealm_forAnHttpsRegistry_isRefused() {
      registry.enqueue(
          bearerChallenge("http://127.0.0.1:9/token", "x", "repository:library/ruby:pull"));
      RegistryException e =
          expect(
              RegistryException.class,
              () -> builder().sslContext(registry.host(), client).build().digest(ruby()));
      assertTrue(e.getMessage().contains("plain-HTTP token realm"), e.getMessage());
    }
  }

  @Test
  void cancellingTheFuture_abortsTheExchange() throws Exception {
    registry.enqueue(
        response(200)
            .addHeader("Content-Type", OCI_INDEX)
            .body(new Buffer().write(INDEX))
            .headersDelay(10, TimeUnit.SECONDS)
            .build());
    List<RequestEvent> events = new CopyOnWriteArrayList<>();
    DigestResolver r = builder().build();
    var f = r.resolveIndexAsync(ruby());
    registry.take();
    f.cancel(true);
    assertTrue(f.isCancelled());
    // The aborted exchange ends long before the 10 s the server would take.
    long start = System.nanoTime();
    while (registry.server.getRequestCount() == 1
        && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2)) {
      Thread.sleep(20);
    }
    assertEquals(1, registry.server.getRequestCount(), "no retry after a cancel");
  }

  @Test
  void messagesAndToStrings_carryNoSecrets() {
    SEEN.add(Credential.basic("u", PASSWORD).toString());
    SEEN.add(Credential.identityToken(REFRESH).toString());
    SEEN.add(StaticCredentials.of("x", Credential.basic("u", PASSWORD)).toString());
  }
}
