package dev.ocipin;

import static dev.ocipin.MockRegistry.ACCEPT;
import static dev.ocipin.MockRegistry.bearerChallenge;
import static dev.ocipin.MockRegistry.fixture;
import static dev.ocipin.MockRegistry.head;
import static dev.ocipin.MockRegistry.manifest;
import static dev.ocipin.MockRegistry.response;
import static dev.ocipin.MockRegistry.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.auth.Credential;
import dev.ocipin.auth.CredentialChain;
import dev.ocipin.auth.StaticCredentials;
import dev.ocipin.model.MediaType;
import dev.ocipin.registry.AuthenticationException;
import dev.ocipin.registry.DigestMismatchException;
import dev.ocipin.registry.ManifestNotFoundException;
import dev.ocipin.registry.ManifestTooLargeException;
import dev.ocipin.registry.RateLimitedException;
import dev.ocipin.registry.RequestEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DigestResolverTest {
  private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  private static final String SECRET = "hunter2-secret-password";
  private static final byte[] INDEX = fixture("dockerhub-ruby-index.json");
  private static final Digest INDEX_DIGEST = Digest.sha256(INDEX);

  private final MockRegistry registry = new MockRegistry();
  private final List<RequestEvent> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    registry.close();
  }

  private DigestResolver.Builder builder() {
    return TestResolvers.plainHttp()
        .credentials(CredentialChain.of())
        .listener(events::add)
        .requestTimeout(Duration.ofSeconds(5));
  }

  private String ruby() {
    return registry.host() + "/library/ruby:3.3.0-slim";
  }

  private void dockerHubChallenge() {
    registry.enqueue(
        bearerChallenge(registry.realm(), "registry.docker.io", "repository:library/ruby:pull"));
  }

  @Test
  void digest_dockerHubFlow_coldThreeRequestsThenWarmOne() throws Exception {
    dockerHubChallenge();
    registry.enqueue(token("tok-1", 300));
    registry.enqueue(head(INDEX, OCI_INDEX));
    registry.enqueue(head(INDEX, OCI_INDEX));
    DigestResolver resolver = builder().build();

    assertEquals(INDEX_DIGEST, resolver.digest(ruby()));

    RecordedRequest first = registry.take();
    assertEquals("HEAD", first.getMethod());
    assertEquals("/v2/library/ruby/manifests/3.3.0-slim", first.getTarget());
    assertEquals(ACCEPT, first.getHeaders().get("Accept"));
    assertNull(first.getHeaders().get("Authorization"), "no credentials before the challenge");
    RecordedRequest tokenRequest = registry.take();
    assertEquals("GET", tokenRequest.getMethod());
    assertEquals(
        "/token?service=registry.docker.io&scope=repository%3Alibrary%2Fruby%3Apull",
        tokenRequest.getTarget());
    assertNull(tokenRequest.getHeaders().get("Authorization"), "anonymous token");
    RecordedRequest second = registry.take();
    assertEquals("HEAD", second.getMethod());
    assertEquals("Bearer tok-1", second.getHeaders().get("Authorization"));
    assertEquals(3, registry.server.getRequestCount());

    assertEquals(INDEX_DIGEST, resolver.digest(ruby()));
    RecordedRequest warm = registry.take();
    assertEquals("HEAD", warm.getMethod());
    assertEquals("Bearer tok-1", warm.getHeaders().get("Authorization"));
    assertEquals(4, registry.server.getRequestCount());
    assertEquals(4, events.size());
    assertEquals(List.of(401, 200, 200, 200), events.stream().map(RequestEvent::status).toList());
  }

  @Test
  void digest_knownChallenge_coldRepositoryTakesTwoRequests() throws Exception {
    dockerHubChallenge();
    registry.enqueue(token("tok-ruby", 300));
    registry.enqueue(head(INDEX, OCI_INDEX));
    registry.enqueue(token("tok-alpine", 300));
    registry.enqueue(head(INDEX, OCI_INDEX));
    DigestResolver resolver = builder().build();
    resolver.digest(ruby());
    registry.takeAll();

    resolver.digest(registry.host() + "/library/alpine:3.19");
    RecordedRequest tokenRequest = registry.take();
    assertEquals(
        "/token?service=registry.docker.io&scope=repository%3Alibrary%2Falpine%3Apull",
        tokenRequest.getTarget());
    assertEquals("Bearer tok-alpine", registry.take().getHeaders().get("Authorization"));
    assertEquals(5, registry.server.getRequestCount());
  }

  @Test
  void resolveIndex_dockerHubShapedIndex_imagesAttestationsAndPin() throws Exception {
    dockerHubChallenge();
    registry.enqueue(token("tok-1", 300));
    registry.enqueue(manifest(INDEX, OCI_INDEX));
    ResolvedIndex idx = builder().build().resolveIndex(ruby());

    assertEquals(INDEX_DIGEST, idx.digest());
    assertTrue(idx.isIndex());
    assertEquals(MediaType.OCI_INDEX, idx.mediaType());
    assertEquals(16, idx.manifests().size());
    assertEquals(8, idx.images().size());
    assertEquals(8, idx.attestations().size());
    assertEquals(
        registry.host() + "/library/ruby:3.3.0-slim@" + INDEX_DIGEST, idx.pinned().toString());
    registry.take();
    registry.take();
    RecordedRequest get = registry.take();
    assertEquals("GET", get.getMethod());
    assertEquals(ACCEPT, get.getHeaders().get("Accept"));
  }

  @Test
  void resolve_platform_picksTheChildFromTheIndex() throws Exception {
    registry.enqueue(manifest(INDEX, OCI_INDEX));
    ResolvedManifest m = builder().build().resolve(ruby(), Platform.parse("linux/arm64"));
    assertEquals("linux/arm64/v8", m.platform().toString());
    assertEquals(INDEX_DIGEST, m.indexDigest().orElseThrow());
    assertEquals(MediaType.DOCKER_MANIFEST, m.mediaType());
    assertEquals(m.digest(), m.pinned().digest().orElseThrow());
    assertEquals(1, registry.server.getRequestCount(), "the index names the child's digest");
  }

  @Test
  void resolve_noMatchingPlatform_listsWhatExists() throws Exception {
    registry.enqueue(manifest(INDEX, OCI_INDEX));
    NoMatchingPlatformException e =
        assertThrows(
            NoMatchingPlatformException.class,
            () -> builder().build().resolve(ruby(), Platform.parse("windows/amd64")));
    assertTrue(
        e.getMessage()
            .contains("has no image for windows/amd64; it offers linux/amd64, linux/arm/v5"),
        e.getMessage());
    assertEquals(8, e.available().size());
  }

  @Test
  void singleManifestTag_isNotAnIndex_butStillPins() throws Exception {
    byte[] config =
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{}}"
            .getBytes(StandardCharsets.UTF_8);
    String manifestJson =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
            + Digest.sha256(config)
            + "\",\"size\":"
            + config.length
            + "},\"layers\":[]}";
    byte[] body = manifestJson.getBytes(StandardCharsets.UTF_8);
    registry.enqueue(manifest(body, "application/vnd.oci.image.manifest.v1+json"));
    // The tag was fetched before: a HEAD confirms it, the cached manifest is used.
    registry.enqueue(head(body, "application/vnd.oci.image.manifest.v1+json"));
    registry.enqueue(response(200).body(new okio.Buffer().write(config)).build());
    registry.enqueue(head(body, "application/vnd.oci.image.manifest.v1+json"));
    registry.enqueue(response(200).body(new okio.Buffer().write(config)).build());
    DigestResolver resolver = builder().build();
    ResolvedIndex idx = resolver.resolveIndex(registry.host() + "/app:1");
    assertFalse(idx.isIndex());
    assertEquals(Digest.sha256(body), idx.digest());
    assertEquals(List.of(), idx.images());
    assertEquals(registry.host() + "/app:1@" + Digest.sha256(body), idx.pinned().toString());

    ResolvedManifest m =
        resolver.resolve(registry.host() + "/app:1", Platform.parse("linux/amd64"));
    assertEquals(Digest.sha256(body), m.digest());
    assertTrue(m.indexDigest().isEmpty());
    assertEquals("GET", registry.take().getMethod());
    assertEquals("HEAD", registry.take().getMethod());
    assertEquals("/v2/app/blobs/" + Digest.sha256(config), registry.take().getTarget());
    assertThrows(
        NoMatchingPlatformException.class,
        () -> resolver.resolve(registry.host() + "/app:1", Platform.parse("linux/arm64")));
  }

  @Test
  void ghcrAnonymousTokenFlow() throws Exception {
    registry.enqueue(bearerChallenge(registry.realm(), "ghcr.io", "repository:owner/img:pull"));
    registry.enqueue(
        response(200)
            .addHeader("Content-Type", "application/json")
            .body("{\"token\":\"djE6b3duZXI=\"}")
            .build());
    registry.enqueue(manifest(INDEX, OCI_INDEX));
    ResolvedIndex idx = builder().build().resolveIndex(registry.host() + "/owner/img:v1");
    assertEquals(INDEX_DIGEST, idx.digest());
    assertNull(registry.take().getHeaders().get("Authorization"));
    RecordedRequest t = registry.take();
    assertEquals("/token?service=ghcr.io&scope=repository%3Aowner%2Fimg%3Apull", t.getTarget());
    assertNull(t.getHeaders().get("Authorization"));
    assertEquals("Bearer djE6b3duZXI=", registry.take().getHeaders().get("Authorization"));
  }

  @Test
  void basicAuthRegistry_sendsCredentialsAfterTheChallengeOnly() throws Exception {
    registry.enqueue(
        response(401).addHeader("WWW-Authenticate", "Basic realm=\"Registry Realm\"").build());
    registry.enqueue(head(INDEX, OCI_INDEX));
    registry.enqueue(head(INDEX, OCI_INDEX));
    DigestResolver resolver =
        TestResolvers.plainHttp()
            .credentials(StaticCredentials.of(registry.host(), Credential.basic("alice", SECRET)))
            .build();
    resolver.digest(ruby());
    resolver.digest(ruby());
    assertNull(registry.take().getHeaders().get("Authorization"));
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(("alice:" + SECRET).getBytes(StandardCharsets.UTF_8));
    assertEquals(expected, registry.take().getHeaders().get("Authorization"));
    assertEquals(expected, registry.take().getHeaders().get("Authorization"), "remembered");
    assertEquals(3, registry.server.getRequestCount());
  }

  @Test
  void tokenRequest_sendsBasicCredentialsFromTheChain() throws Exception {
    dockerHubChallenge();
    registry.enqueue(token("tok-1", 300));
    registry.enqueue(head(INDEX, OCI_INDEX));
    TestResolvers.plainHttp()
        .credentials(StaticCredentials.of(registry.host(), Credential.basic("alice", SECRET)))
        .build()
        .digest(ruby());
    registry.take();
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(("alice:" + SECRET).getBytes(StandardCharsets.UTF_8));
    assertEquals(expected, registry.take().getHeaders().get("Authorization"));
    assertEquals("Bearer tok-1", registry.take().getHeaders().get("Authorization"));
  }

  @Test
  void headWithoutDigest_fallsBackToVerifiedGet() throws Exception {
    registry.enqueue(response(200).addHeader("Content-Type", OCI_INDEX).build());
    registry.enqueue(manifest(INDEX, OCI_INDEX));
    assertEquals(INDEX_DIGEST, builder().build().digest(ruby()));
    assertEquals("HEAD", registry.take().getMethod());
    assertEquals("GET", registry.take().getMethod());
  }

  @Test
  void head405_fallsBackToGet() throws Exception {
    registry.enqueue(response(405).build());
    registry.enqueue(
        response(200)
            .addHeader("Content-Type", OCI_INDEX)
            .body(new okio.Buffer().write(INDEX))
            .build());
    assertEquals(INDEX_DIGEST, builder().build().digest(ruby()));
    assertEquals(2, registry.server.getRequestCount());
  }

  @Test
  void identityToken_usesOAuth2RefreshPost() throws Exception {
    String refresh = "refresh-token-abcdefghijklmnop";
    dockerHubChallenge();
    registry.enqueue(
        response(200)
            .addHeader("Content-Type", "application/json")
            .body(
                "{\"access_token\":\"oauth-tok\",\"expires_in\":600,\"scope\":\"repository:library/ruby:pull\"}")
            .build());
    registry.enqueue(head(INDEX, OCI_INDEX));
    TestResolvers.plainHttp()
        .credentials(StaticCredentials.of(registry.host(), Credential.identityToken(refresh)))
        .build()
        .digest(ruby());
    registry.take();
    RecordedRequest post = registry.take();
    assertEquals("POST", post.getMethod());
    assertEquals("/token", post.getTarget());
    assertEquals("application/x-www-form-urlencoded", post.getHeaders().get("Content-Type"));
    assertEquals(
        "grant_type=refresh_token&service=registry.docker.io&client_id=ocipin&refresh_token="
            + refresh
            + "&scope=repository%3Alibrary%2Fruby%3Apull",
        post.getBody().utf8());
    assertEquals("Bearer oauth-tok", registry.take().getHeaders().get("Authorization"));
  }

  @Test
  void identityToken_oauth404_fallsBackToGet() throws Exception {
    dockerHubChallenge();
    registry.enqueue(response(404).build());
    registry.enqueue(token("get-tok", 300));
    registry.enqueue(head(INDEX, OCI_INDEX));
    TestResolvers.plainHttp()
        .credentials(StaticCredentials.of(registry.host(), Credential.identityToken("refresh-xyz")))
        .build()
        .digest(ruby());
    registry.take();
    assertEquals("POST", registry.take().getMethod());
    RecordedRequest get = registry.take();
    assertEquals("GET", get.getMethod());
    assertTrue(get.getTarget().startsWith("/token?service=registry.docker.io&scope="));
    assertEquals("Bearer get-tok", registry.take().getHeaders().get("Authorization"));
  }

  @Test
  void registryToken_isSentAsIs() throws Exception {
    dockerHubChallenge();
    registry.enqueue(head(INDEX, OCI_INDEX));
    TestResolvers.plainHttp()
        .credentials(StaticCredentials.of(registry.host(), Credential.registryToken("as-is-token")))
        .build()
        .digest(ruby());
    registry.take();
    assertEquals("Bearer as-is-token", registry.take().getHeaders().get("Authorization"));
    assertEquals(2, registry.server.getRequestCount(), "no token request");
  }

  @Test
  void tokenExpiry_followsIssuedAtAndTheInjectedClock() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    dockerHubChallenge();
    registry.enqueue(
        response(200)
            .addHeader("Content-Type", "application/json")
            .body("{\"token\":\"t1\",\"expires_in\":30,\"issued_at\":\"2026-11-26T10:00:00Z\"}")
            .build());
    registry.enqueue(head(INDEX, OCI_INDEX));
    registry.enqueue(head(INDEX, OCI_INDEX));
    registry.enqueue(token("t2", 300));
    registry.enqueue(head(INDEX, OCI_INDEX));
    DigestResolver resolver = builder().clock(clock).build();
    resolver.digest(ruby());
    // expires_in below 60 s counts as 60 s; renewed 10 s early.
    clock.now = Instant.parse("2026-11-26T10:00:45Z");
    resolver.digest(ruby());
    assertEquals(4, registry.server.getRequestCount(), "token still valid at +45 s");
    clock.now = Instant.parse("2026-11-26T10:00:55Z");
    resolver.digest(ruby());
    assertEquals(6, registry.server.getRequestCount(), "token renewed at +55 s");
    List<RecordedRequest> all = registry.takeAll();
    assertTrue(all.get(4).getTarget().startsWith("/token?"));
    assertEquals("Bearer t2", all.get(5).getHeaders().get("Authorization"));
  }

  @Test
  void concurrentCallers_shareOneTokenRequest() throws Exception {
    AtomicInteger tokenRequests = new AtomicInteger();
    registry.server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            if (request.getTarget().startsWith("/token")) {
              tokenRequests.incrementAndGet();
              Thread.sleep(200);
              return token("shared", 300);
            }
            if (!"Bearer shared".equals(request.getHeaders().get("Authorization"))) {
              return bearerChallenge(
                  registry.realm(), "registry.docker.io", "repository:library/ruby:pull");
            }
            return head(INDEX, OCI_INDEX);
          }
        });
    DigestResolver resolver = builder().build();
    List<CompletableFuture<Digest>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(resolver.digestAsync(ruby()));
    }
    for (CompletableFuture<Digest> f : all) {
      assertEquals(INDEX_DIGEST, f.get());
    }
    assertEquals(1, tokenRequests.get());
  }

  @Test
  void lyingDockerContentDigest_isAMismatchNamingBoth() {
    Digest lie = Digest.sha256("something else".getBytes(StandardCharsets.UTF_8));
    registry.enqueue(
        response(200)
            .addHeader("Content-Type", OCI_INDEX)
            .addHeader("Docker-Content-Digest", lie)
            .body(new okio.Buffer().write(INDEX))
            .build());
    DigestMismatchException e =
        assertThrows(DigestMismatchException.class, () -> builder().build().resolveIndex(ruby()));
    assertEquals(lie, e.expected());
    assertEquals(INDEX_DIGEST, e.actual());
    assertTrue(
        e.getMessage().contains(lie.toString())
            && e.getMessage().contains(INDEX_DIGEST.toString()));
  }

  @Test
  void digestReference_isVerifiedNotTrusted() {
    Digest asked = Digest.sha256("the manifest I pinned".getBytes(StandardCharsets.UTF_8));
    registry.enqueue(
        response(200)
            .addHeader("Content-Type", OCI_INDEX)
            .body(new okio.Buffer().write(INDEX))
            .build());
    DigestMismatchException e =
        assertThrows(
            DigestMismatchException.class,
            () ->
                builder()
                    .build()
                    .resolveIndex(registry.host() + "/library/ruby:3.3.0-slim@" + asked));
    assertEquals(asked, e.expected());
    assertEquals(INDEX_DIGEST, e.actual());
  }

  @Test
  void digestReference_requestsByDigestAndKeepsTheTag() throws Exception {
    registry.enqueue(manifest(INDEX, OCI_INDEX));
    ResolvedIndex idx =
        builder()
            .build()
            .resolveIndex(registry.host() + "/library/ruby:3.3.0-slim@" + INDEX_DIGEST);
    assertEquals("/v2/library/ruby/manifests/" + INDEX_DIGEST, registry.take().getTarget());
    assertEquals(
        registry.host() + "/library/ruby:3.3.0-slim@" + INDEX_DIGEST, idx.pinned().toString());
  }

  @Test
  void notFound_namesTheReferenceAndCode() {
    registry.enqueue(
        response(404)
            .addHeader("Content-Type", "application/json")
            .body(
                "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\",\"detail\":{\"Tag\":\"nope\"}}]}")
            .build());
    ManifestNotFoundException e =
        assertThrows(
            ManifestNotFoundException.class,
            () -> builder().build().resolveIndex(registry.host() + "/library/ruby:nope"));
    assertEquals(
        "GET manifest "
            + registry.host()
            + "/library/ruby:nope: not found (MANIFEST_UNKNOWN: manifest unknown)",
        e.getMessage());
    assertEquals("MANIFEST_UNKNOWN", e.errors().get(0).code());
  }

  @Test
  void tooManyRequests_carriesRetryAfterAndRateLimit() {
    registry.enqueue(
        response(429)
            .addHeader("Retry-After", "42")
            .addHeader("RateLimit-Limit", "100;w=21600")
            .addHeader("RateLimit-Remaining", "0;w=21600")
            .body(
                "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"You have reached your pull rate limit.\"}]}")
            .build());
    RateLimitedException e =
        assertThrows(RateLimitedException.class, () -> builder().build().resolveIndex(ruby()));
    assertEquals(Duration.ofSeconds(42), e.retryAfter().orElseThrow());
    assertEquals("100;w=21600", e.limit().orElseThrow());
    assertEquals("0;w=21600", e.remaining().orElseThrow());
    assertTrue(e.getMessage().contains("TOOMANYREQUESTS"), e.getMessage());
  }

  @Test
  void unauthorizedAfterFreshToken_authenticationErrorWithSourceAndHint_noSecret()
      throws Exception {
    dockerHubChallenge();
    registry.enqueue(token("tok-1", 300));
    registry.enqueue(
        bearerChallenge(registry.realm(), "registry.docker.io", "repository:library/ruby:pull"));
    DigestResolver resolver =
        TestResolvers.plainHttp()
            .credentials(
                CredentialChain.of(
                    StaticCredentials.of(registry.host(), Credential.basic("alice", SECRET))))
            .build();
    AuthenticationException e =
        assertThrows(AuthenticationException.class, () -> resolver.digest(ruby()));
    assertEquals(3, registry.server.getRequestCount(), "no endless retry");
    assertTrue(
        e.getMessage().contains("registry " + registry.host() + " answered 401"), e.getMessage());
    assertTrue(e.getMessage().contains("library/ruby"), e.getMessage());
    assertTrue(
        e.getMessage().contains("static credentials for " + registry.host()), e.getMessage());
    assertTrue(e.getMessage().contains("docker login"), e.getMessage());
    assertFalse(e.getMessage().contains(SECRET));
  }

  @Test
  void redirectToAnotherHost_dropsAuthorization() throws Exception {
    try (MockRegistry other = new MockRegistry()) {
      registry.enqueue(response(401).addHeader("WWW-Authenticate", "Basic realm=\"r\"").build());
      registry.enqueue(
          response(307)
              .addHeader("Location", "http://" + other.host() + "/elsewhere/manifest")
              .build());
      other.enqueue(manifest(INDEX, OCI_INDEX));
      ResolvedIndex idx =
          TestResolvers.plainHttp()
              .credentials(StaticCredentials.of(registry.host(), Credential.basic("alice", SECRET)))
              .build()
              .resolveIndex(ruby());
      assertEquals(INDEX_DIGEST, idx.digest());
      registry.take();
      assertTrue(registry.take().getHeaders().get("Authorization").startsWith("Basic "));
      RecordedRequest redirected = other.take();
      assertEquals("/elsewhere/manifest", redirected.getTarget());
      assertNull(redirected.getHeaders().get("Authorization"));
      assertEquals(ACCEPT, redirected.getHeaders().get("Accept"));
    }
  }

  @Test
  void manifestOverTheCap_isATypedError() {
    registry.enqueue(manifest(INDEX, OCI_INDEX));
    ManifestTooLargeException e =
        assertThrows(
            ManifestTooLargeException.class,
            () -> builder().maxManifestBytes(1024).build().resolveIndex(ruby()));
    assertEquals(1024, e.limit());
  }

  @Test
  void resolveAll_reportsEachFailureOnItsOwn() throws Exception {
    registry.server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return request.getTarget().contains("missing")
                ? response(404).build()
                : manifest(INDEX, OCI_INDEX);
          }
        });
    List<ResolveResult> results =
        builder()
            .build()
            .resolveAll(List.of(ruby(), "Not A Reference", registry.host() + "/missing:1"));
    assertEquals(3, results.size());
    assertTrue(results.get(0).isSuccess());
    assertEquals(INDEX_DIGEST, results.get(0).resolved().orElseThrow().digest());
    assertTrue(results.get(1).error().orElseThrow() instanceof InvalidReferenceException);
    assertTrue(results.get(2).error().orElseThrow() instanceof ManifestNotFoundException);
    assertEquals(2, registry.server.getRequestCount());
  }

  @Test
  void mirror_failureFallsBackToUpstream() throws Exception {
    try (MockRegistry mirror = new MockRegistry()) {
      for (int i = 0; i < 4; i++) {
        mirror.enqueue(response(503).body("oops").build());
      }
      registry.enqueue(head(INDEX, OCI_INDEX));
      Digest d =
          builder()
              .retryBaseDelay(Duration.ofMillis(1))
              .mirror(registry.host(), mirror.host())
              .build()
              .digest(ruby());
      assertEquals(INDEX_DIGEST, d);
      assertEquals("/v2/library/ruby/manifests/3.3.0-slim", mirror.take().getTarget());
      assertEquals(4, mirror.server.getRequestCount(), "the mirror got its retries");
      assertEquals(1, registry.server.getRequestCount());
    }
  }

  @Test
  void builder_optionSetTwice_failsNamingTheValue() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> TestResolvers.plainHttp().maxManifestBytes(10).maxManifestBytes(20));
    assertEquals("manifest size cap was already set to 10", e.getMessage());
  }

  static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
