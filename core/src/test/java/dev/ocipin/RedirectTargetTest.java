package dev.ocipin;

import static dev.ocipin.MockRegistry.bearerChallenge;
import static dev.ocipin.MockRegistry.fixture;
import static dev.ocipin.MockRegistry.manifest;
import static dev.ocipin.MockRegistry.response;
import static dev.ocipin.MockRegistry.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.auth.Credential;
import dev.ocipin.auth.StaticCredentials;
import dev.ocipin.registry.AuthenticationException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry redirects a manifest or blob GET to a storage host, and the storage host answers 401
 * with a challenge of its own whose realm is a third host. The registry's credentials must never
 * reach that realm (nor the storage host): the outcome is a typed error that names the storage
 * host, and the third host receives nothing, cold or warm, with a refresh token, and across runs
 * through the token cache file.
 */
class RedirectTargetTest {
  private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  private static final String DOCKER_V2 = "application/vnd.docker.distribution.manifest.v2+json";
  private static final byte[] INDEX = fixture("dockerhub-ruby-index.json");
  private static final byte[] SINGLE = fixture("docker-v2-manifest.json");
  private static final String PASSWORD = "redirect-Pa55word";
  private static final String REFRESH = "redirect-refresh-token-0123456789";
  private static final String SIGNATURE = "X-Amz-Signature=f00dfeedcafe0123456789";

  private final MockRegistry registry = new MockRegistry();
  private final MockRegistry storage = new MockRegistry();
  private final MockRegistry thief = new MockRegistry();
  private final List<String> seen = new CopyOnWriteArrayList<>();
  @TempDir Path dir;

  @AfterEach
  void close() {
    registry.close();
    storage.close();
    thief.close();
  }

  private DigestResolver.Builder builder(Credential credential) {
    return TestResolvers.plainHttp()
        .credentials(StaticCredentials.of(registry.host(), credential))
        .listener(e -> seen.add(e.toString()))
        .retryBaseDelay(Duration.ofMillis(1));
  }

  private String ruby() {
    return registry.host() + "/library/ruby:3.3.0-slim";
  }

  private MockResponse toStorage() {
    return response(307)
        .addHeader("Location", "http://" + storage.host() + "/blobs/abc?" + SIGNATURE)
        .build();
  }

  private MockResponse storageChallenge() {
    return bearerChallenge(thief.realm(), "storage", "blob:read");
  }

  private AuthenticationException expectRefusal(ThrowingRunnable call) {
    AuthenticationException e = assertThrows(AuthenticationException.class, call::run);
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    seen.add(trace.toString());
    assertTrue(e.getMessage().contains("redirected to " + storage.host()), e.getMessage());
    assertTrue(e.getMessage().contains("answered 401"), e.getMessage());
    assertEquals(401, e.status().getAsInt());
    return e;
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  private void assertNothingLeaked() {
    assertEquals(0, thief.server.getRequestCount(), "the storage host's realm got a request");
    assertFalse(seen.isEmpty());
    for (String s : seen) {
      assertFalse(s.contains(PASSWORD), s);
      assertFalse(s.contains(REFRESH), s);
      assertFalse(s.contains(SIGNATURE), "a signed URL's query was printed: " + s);
    }
  }

  private void assertNoCredentialsAtStorage() throws InterruptedException {
    for (RecordedRequest r : storage.takeAll()) {
      assertNull(r.getHeaders().get("Authorization"), r.toString());
    }
  }

  @Test
  void cold_storageChallenge_isAnErrorNamingTheStorageHost() throws Exception {
    registry.enqueue(toStorage());
    storage.enqueue(storageChallenge());
    DigestResolver resolver = builder(Credential.basic("alice", PASSWORD)).build();

    expectRefusal(() -> resolver.resolveIndex(ruby()));

    assertEquals(1, registry.server.getRequestCount());
    assertEquals(1, storage.server.getRequestCount());
    assertNoCredentialsAtStorage();
    assertNothingLeaked();
  }

  @Test
  void warm_registryChallengeKept_storageChallengeIgnored() throws Exception {
    registry.enqueue(bearerChallenge(registry.realm(), "reg", "repository:library/ruby:pull"));
    registry.enqueue(token("registry-token", 300));
    registry.enqueue(toStorage());
    storage.enqueue(storageChallenge());
    DigestResolver resolver = builder(Credential.basic("alice", PASSWORD)).build();

    expectRefusal(() -> resolver.resolveIndex(ruby()));
    assertEquals(3, registry.server.getRequestCount());

    // Warm: the registry's own challenge and token still serve it; the storage host's is unknown.
    registry.enqueue(toStorage());
    storage.enqueue(storageChallenge());
    expectRefusal(() -> resolver.resolveIndex(ruby()));
    List<RecordedRequest> toRegistry = registry.takeAll();
    assertEquals(4, toRegistry.size());
    assertEquals("GET /token", toRegistry.get(1).getMethod() + " " + path(toRegistry.get(1)));
    assertEquals("Bearer registry-token", toRegistry.get(3).getHeaders().get("Authorization"));
    assertEquals(2, storage.server.getRequestCount());
    assertNoCredentialsAtStorage();
    assertNothingLeaked();
  }

  @Test
  void refreshToken_isNeverPostedToTheStorageRealm() throws Exception {
    registry.enqueue(toStorage());
    storage.enqueue(storageChallenge());
    DigestResolver resolver = builder(Credential.identityToken(REFRESH)).build();

    expectRefusal(() -> resolver.resolveIndex(ruby()));

    assertEquals(1, registry.server.getRequestCount());
    assertEquals(1, storage.server.getRequestCount());
    assertNoCredentialsAtStorage();
    assertNothingLeaked();
  }

  @Test
  void tokenCacheFile_neverSavesTheStorageChallenge_acrossTwoRuns() throws Exception {
    Path file = dir.resolve("tokens.json");
    registry.enqueue(toStorage());
    storage.enqueue(storageChallenge());
    expectRefusal(
        () ->
            builder(Credential.basic("alice", PASSWORD))
                .tokenCacheFile(file)
                .build()
                .digest(registry.host() + "/library/ruby@" + Digest.sha256(INDEX)));
    assertFalse(
        Files.exists(file) && Files.readString(file).contains(thief.host()),
        "the storage host's realm was saved");

    // The second run starts from the file: its first request goes to the registry, without
    // credentials, and the third host still hears nothing.
    registry.enqueue(toStorage());
    storage.enqueue(storageChallenge());
    expectRefusal(
        () ->
            builder(Credential.basic("alice", PASSWORD))
                .tokenCacheFile(file)
                .build()
                .digest(registry.host() + "/library/ruby@" + Digest.sha256(INDEX)));
    List<RecordedRequest> toRegistry = registry.takeAll();
    assertEquals(2, toRegistry.size());
    assertNull(toRegistry.get(1).getHeaders().get("Authorization"));
    assertNoCredentialsAtStorage();
    assertNothingLeaked();
  }

  @Test
  void resolvePlatform_configBlobRedirect_storageChallenge_isAnError() throws Exception {
    registry.enqueue(manifest(SINGLE, DOCKER_V2));
    registry.enqueue(toStorage());
    storage.enqueue(storageChallenge());
    DigestResolver resolver = builder(Credential.basic("alice", PASSWORD)).build();

    AuthenticationException e =
        expectRefusal(() -> resolver.resolve(ruby(), Platform.parse("linux/amd64")));
    assertTrue(e.getMessage().startsWith("GET blob"), e.getMessage());

    List<RecordedRequest> toRegistry = registry.takeAll();
    assertEquals(2, toRegistry.size());
    assertTrue(path(toRegistry.get(1)).startsWith("/v2/library/ruby/blobs/sha256:"));
    assertEquals(1, storage.server.getRequestCount());
    assertNoCredentialsAtStorage();
    assertNothingLeaked();
  }

  @Test
  void sameOriginRedirect_challengeStillLearned() throws Exception {
    // A redirect within the registry's own origin that then answers 401 is still not the answer
    // to the request sent: only a direct 401 teaches a challenge.
    registry.enqueue(
        response(307).addHeader("Location", "/v2/library/ruby/manifests/other").build());
    registry.enqueue(bearerChallenge(thief.realm(), "reg", "repository:library/ruby:pull"));
    DigestResolver resolver = builder(Credential.basic("alice", PASSWORD)).build();

    AuthenticationException e =
        assertThrows(AuthenticationException.class, () -> resolver.resolveIndex(ruby()));
    seen.add(e.getMessage());
    assertEquals(2, registry.server.getRequestCount());
    assertNothingLeaked();
  }

  private static String path(RecordedRequest r) {
    String target = r.getTarget();
    int q = target.indexOf('?');
    return q < 0 ? target : target.substring(0, q);
  }

  @Test
  void registryOwnChallenge_stillWorksWithSignedStorageUrl() throws Exception {
    registry.enqueue(bearerChallenge(registry.realm(), "reg", "repository:library/ruby:pull"));
    registry.enqueue(token("registry-token", 300));
    registry.enqueue(toStorage());
    storage.enqueue(manifest(INDEX, OCI_INDEX));
    DigestResolver resolver = builder(Credential.basic("alice", PASSWORD)).build();

    assertEquals(Digest.sha256(INDEX), resolver.resolveIndex(ruby()).digest());
    assertEquals(3, registry.server.getRequestCount());
    assertEquals(1, storage.server.getRequestCount());
    assertNoCredentialsAtStorage();
    assertNothingLeaked();
  }
}
