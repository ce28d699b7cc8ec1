package dev.ocipin;

import static dev.ocipin.MockRegistry.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ocipin.auth.CredentialChain;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The request budgets of issue "speed at scale", counted exactly against a registry that behaves
 * like Docker Hub: challenge on every unauthorised request, JWT tokens whose access claim lists the
 * repositories granted, and an issuer that honours several scope parameters.
 */
class BatchBudgetTest {
  private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  private static final byte[] INDEX = fixture("dockerhub-ruby-index.json");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MockRegistry registry = new MockRegistry();
  private final AtomicInteger tokenRequests = new AtomicInteger();
  private final AtomicInteger manifestRequests = new AtomicInteger();
  private final List<String> tokenQueries = new CopyOnWriteArrayList<>();
  private volatile int grantAtMost = Integer.MAX_VALUE;

  BatchBudgetTest() {
    registry.server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            String target = request.getTarget();
            if (target.startsWith("/token")) {
              tokenRequests.incrementAndGet();
              tokenQueries.add(target);
              return token(target);
            }
            manifestRequests.incrementAndGet();
            String repo = target.substring("/v2/".length(), target.indexOf("/manifests/"));
            if (!granted(request.getHeaders().get("Authorization")).contains(repo)) {
              return MockRegistry.bearerChallenge(
                  registry.realm(), "registry.docker.io", "repository:" + repo + ":pull");
            }
            return request.getMethod().equals("HEAD")
                ? MockRegistry.head(INDEX, OCI_INDEX)
                : MockRegistry.manifest(INDEX, OCI_INDEX);
          }
        });
  }

  @AfterEach
  void close() {
    registry.close();
  }

  /** A JWT (unsigned; the mock registry reads it) granting pull on the scopes asked for. */
  private MockResponse token(String target) {
    ObjectNode claims = JSON.createObjectNode();
    ArrayNode access = claims.putArray("access");
    List<String> asked = scopesOf(target);
    for (String s : asked.subList(0, Math.min(asked.size(), grantAtMost))) {
      String[] scope = s.split(":");
      ObjectNode a = access.addObject().put("type", scope[0]).put("name", scope[1]);
      a.putArray("actions").add("pull");
    }
    String jwt = b64("{\"alg\":\"none\"}") + "." + b64(claims.toString()) + "." + b64("sig");
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "application/json")
        .body(new Buffer().writeUtf8("{\"token\":\"" + jwt + "\",\"expires_in\":300}"))
        .build();
  }

  private static Set<String> granted(String authorization) {
    Set<String> out = ConcurrentHashMap.newKeySet();
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return out;
    }
    try {
      String payload = authorization.substring(7).split("\\.")[1];
      for (var a : JSON.readTree(Base64.getUrlDecoder().decode(payload)).get("access")) {
        out.add(a.get("name").asText());
      }
    } catch (Exception e) {
      // not ours
    }
    return out;
  }

  private static List<String> scopesOf(String target) {
    List<String> scopes = new ArrayList<>();
    for (String pair : target.substring(target.indexOf('?') + 1).split("&")) {
      if (pair.startsWith("scope=")) {
        scopes.add(URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8));
      }
    }
    return scopes;
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private List<String> refs(int n) {
    List<String> refs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      refs.add(registry.host() + "/library/app" + i + ":1.0");
    }
    return refs;
  }

  private DigestResolver resolver(int k) {
    return TestResolvers.plainHttp()
        .credentials(CredentialChain.of())
        .scopesPerTokenRequest(k)
        .build();
  }

  @Test
  void coldBatch_nPlusCeilNOverKPlusOne_thenWarmBatch_exactlyN() throws Exception {
    int n = 25;
    int k = 10;
    DigestResolver resolver = resolver(k);
    List<ResolveResult> cold = resolver.resolveAll(refs(n));
    assertTrue(cold.stream().allMatch(ResolveResult::isSuccess), cold.toString());
    // One request learns the challenge, ceil(25/10) = 3 token requests, 25 manifests.
    assertEquals(3, tokenRequests.get());
    assertEquals(n + 1, manifestRequests.get());
    assertEquals(n + 3 + 1, registry.server.getRequestCount());
    // The three token requests run concurrently, so their order is not fixed: compare as a set.
    List<Integer> scopesPerRequest = new ArrayList<>();
    Set<String> scopes = new HashSet<>();
    for (String query : tokenQueries) {
      List<String> asked = scopesOf(query);
      scopesPerRequest.add(asked.size());
      scopes.addAll(asked);
    }
    scopesPerRequest.sort(null);
    assertEquals(List.of(5, k, k), scopesPerRequest, tokenQueries.toString());
    assertEquals(n, scopes.size(), "each repository asked for exactly once: " + tokenQueries);

    List<ResolveResult> warm = resolver.resolveAll(refs(n));
    assertTrue(warm.stream().allMatch(ResolveResult::isSuccess));
    assertEquals(n + 3 + 1 + n, registry.server.getRequestCount(), "warm: one HEAD per tag");
  }

  @Test
  void issuerGrantingOneScopePerToken_fallsBackToOneTokenPerRepository() throws Exception {
    grantAtMost = 1;
    int n = 12;
    List<ResolveResult> results = resolver(10).resolveAll(refs(n));
    assertTrue(results.stream().allMatch(ResolveResult::isSuccess), results.toString());
    // 2 merged token requests covered only their first repository each; the other 10 repositories
    // each got a token of their own. No manifest request was refused for a missing scope.
    assertEquals(2 + 10, tokenRequests.get());
    assertEquals(n + 1, manifestRequests.get());
  }

  @Test
  void knownChallenge_batchNeedsNoProbe() throws Exception {
    DigestResolver resolver = resolver(10);
    resolver.resolveAll(refs(1));
    int before = registry.server.getRequestCount();
    List<String> more = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      more.add(registry.host() + "/team/svc" + i + ":2");
    }
    resolver.resolveAll(more);
    assertEquals(20 + 2, registry.server.getRequestCount() - before);
  }

  @Test
  void identicalInFlightRequests_areShared() throws Exception {
    DigestResolver resolver = resolver(10);
    resolver.digest(registry.host() + "/library/app0:1.0");
    int before = registry.server.getRequestCount();
    List<CompletableFuture<ResolvedIndex>> same = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      same.add(resolver.resolveIndexAsync(registry.host() + "/library/app0:1.0"));
    }
    for (CompletableFuture<ResolvedIndex> f : same) {
      assertEquals(Digest.sha256(INDEX), f.get().digest());
    }
    assertEquals(1, registry.server.getRequestCount() - before);
  }

  @Test
  void cache_resolveAfterResolveIndex_isOneHead_andDigestReferencesNeedNone() throws Exception {
    DigestResolver resolver = resolver(10);
    String ref = registry.host() + "/library/app0:1.0";
    resolver.resolveIndex(ref);
    int before = registry.server.getRequestCount();
    ResolvedManifest arm = resolver.resolve(ref, Platform.parse("linux/arm64"));
    assertEquals("linux/arm64/v8", arm.platform().toString());
    assertEquals(1, registry.server.getRequestCount() - before, "a HEAD, no second index fetch");
    assertEquals("HEAD", registry.takeAll().get(before).getMethod());
    resolver.resolveIndex(ref + "@" + Digest.sha256(INDEX));
    assertEquals(1, registry.server.getRequestCount() - before, "by digest: from the cache");
  }

  @Test
  void manyReferences_areLimitedPerRegistry_butAllResolve() throws Exception {
    DigestResolver resolver =
        TestResolvers.plainHttp()
            .credentials(CredentialChain.of())
            .maxConcurrentRequestsPerRegistry(2)
            .build();
    List<ResolveResult> results = resolver.resolveAll(refs(40));
    assertEquals(40, results.stream().filter(ResolveResult::isSuccess).count());
    assertEquals(40 + 4 + 1, registry.server.getRequestCount());
  }
}
