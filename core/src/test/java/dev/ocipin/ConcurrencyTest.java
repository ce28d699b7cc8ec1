package dev.ocipin;

import static dev.ocipin.MockRegistry.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.auth.CredentialChain;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * 64 threads × 1000 resolutions on one resolver: no deadlock, one token per scope, right answers.
 */
class ConcurrencyTest {
  private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  private static final byte[] INDEX = fixture("dockerhub-ruby-index.json");
  private static final int REPOS = 8;

  private final MockRegistry registry = new MockRegistry();
  private final Map<String, AtomicInteger> tokensPerScope = new ConcurrentHashMap<>();

  @AfterEach
  void close() {
    registry.close();
  }

  @Test
  void manyThreads_oneResolver() throws Exception {
    registry.server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            String target = request.getTarget();
            if (target.startsWith("/token")) {
              String scope = target.substring(target.indexOf("scope=") + 6);
              tokensPerScope.computeIfAbsent(scope, k -> new AtomicInteger()).incrementAndGet();
              return MockRegistry.token("tok-" + scope, 300);
            }
            String repo = target.substring("/v2/".length(), target.indexOf("/manifests/"));
            String auth = request.getHeaders().get("Authorization");
            if (auth == null || !auth.contains(repo.replace("/", "%2F"))) {
              return MockRegistry.bearerChallenge(
                  registry.realm(), "svc", "repository:" + repo + ":pull");
            }
            return request.getMethod().equals("HEAD")
                ? MockRegistry.head(INDEX, OCI_INDEX)
                : MockRegistry.manifest(INDEX, OCI_INDEX);
          }
        });
    DigestResolver resolver =
        TestResolvers.plainHttp()
            .credentials(CredentialChain.of())
            .retryBaseDelay(Duration.ofMillis(1))
            .build();
    Digest expected = Digest.sha256(INDEX);
    int threads = 64;
    int perThread = 1000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int seed = t;
      done.add(
          pool.submit(
              () -> {
                go.await();
                int ok = 0;
                for (int i = 0; i < perThread; i++) {
                  String ref = registry.host() + "/team/app" + ((seed + i) % REPOS) + ":1";
                  Digest d =
                      i % 10 == 0 ? resolver.resolveIndex(ref).digest() : resolver.digest(ref);
                  if (d.equals(expected)) {
                    ok++;
                  }
                }
                return ok;
              }));
    }
    go.countDown();
    pool.shutdown();
    assertTrue(pool.awaitTermination(5, TimeUnit.MINUTES), "no deadlock");
    int correct = 0;
    for (Future<Integer> f : done) {
      correct += f.get();
    }
    assertEquals(threads * perThread, correct);
    assertEquals(REPOS, tokensPerScope.size());
    tokensPerScope.forEach((scope, n) -> assertEquals(1, n.get(), "token requests for " + scope));
  }
}
