package dev.ocipin;

import static dev.ocipin.MockRegistry.fixture;
import static dev.ocipin.MockRegistry.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.auth.StaticCredentials;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Cancelling {@code resolveAllAsync} reaches every reference's requests: none starts after the
 * cancel, those in flight are aborted, and a reference another caller also waits for goes on for
 * that caller.
 */
class BatchCancelTest {
  private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  private static final byte[] INDEX = fixture("dockerhub-ruby-index.json");
  private static final int REFS = 300;

  private final MockRegistry registry = new MockRegistry();
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<String> targets = new java.util.concurrent.CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    release.countDown();
    registry.close();
  }

  /** Answers the first manifest at once (the probe), then holds every other until released. */
  private void serveSlowly() {
    registry.server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            targets.add(request.getTarget());
            if (!request.getTarget().contains("/repo0/")) {
              release.await(10, TimeUnit.SECONDS);
            }
            return manifest(INDEX, OCI_INDEX);
          }
        });
  }

  private DigestResolver resolver() {
    return TestResolvers.plainHttp()
        .credentials(StaticCredentials.of("none.example", dev.ocipin.auth.Credential.anonymous()))
        .maxConcurrentRequestsPerRegistry(4)
        .build();
  }

  private List<String> refs() {
    List<String> refs = new ArrayList<>();
    for (int i = 0; i < REFS; i++) {
      refs.add(registry.host() + "/library/repo" + i + ":1");
    }
    return refs;
  }

  private static void awaitRequests(MockRegistry r, int n) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (r.server.getRequestCount() < n && System.nanoTime() < until) {
      Thread.sleep(5);
    }
  }

  @Test
  void cancel_whileRequestsWaitForPermits_sendsNoMore() throws Exception {
    serveSlowly();
    CompletableFuture<List<ResolveResult>> batch = resolver().resolveAllAsync(refs());
    // The probe, then the first four of the rest (the per-registry limit) are in flight.
    awaitRequests(registry, 5);
    assertTrue(batch.cancel(true));
    release.countDown();
    Thread.sleep(500);

    assertEquals(5, registry.server.getRequestCount(), "requests sent after the cancel");
    assertThrows(CancellationException.class, batch::join);
  }

  @Test
  void cancel_keepsAReferenceThatAnotherCallerWaitsFor() throws Exception {
    serveSlowly();
    DigestResolver resolver = resolver();
    CompletableFuture<List<ResolveResult>> batch = resolver.resolveAllAsync(refs());
    awaitRequests(registry, 5);
    // Another caller asks for a reference whose request is in flight for the batch.
    String inFlight = targets.get(4); // "/v2/library/repoN/manifests/1"
    String repo = inFlight.substring("/v2/".length(), inFlight.indexOf("/manifests/"));
    CompletableFuture<ResolvedIndex> other =
        resolver.resolveIndexAsync(registry.host() + "/" + repo + ":1");
    batch.cancel(true);
    release.countDown();

    assertEquals(Digest.sha256(INDEX), other.get(10, TimeUnit.SECONDS).digest());
    Thread.sleep(300);
    assertEquals(5, registry.server.getRequestCount(), "the shared request was sent once");
  }
}
