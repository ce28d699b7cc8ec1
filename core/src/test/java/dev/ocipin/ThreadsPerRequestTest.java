package dev.ocipin;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.auth.CredentialChain;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * A batch starts a bounded number of threads, not one per response. The JDK client's sendAsync
 * completes each response through CompletableFuture's default executor, which starts a thread per
 * task when the common pool has one thread (a machine with one or two cores, such as CI runners);
 * ocipin sends on threads of its own instead. On a machine with more cores the common pool takes
 * those tasks and this test cannot tell the difference.
 */
class ThreadsPerRequestTest {
  private static final byte[] INDEX = MockRegistry.fixture("dockerhub-ruby-index.json");

  @Test
  void aBatchOf200_startsFarFewerThreadsThanRequests() throws Exception {
    try (MockRegistry registry = new MockRegistry()) {
      registry.server.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              return MockRegistry.manifest(INDEX, "application/vnd.oci.image.index.v1+json");
            }
          });
      List<String> refs = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        refs.add(registry.host() + "/library/app" + i + ":1");
      }
      long before = nextThreadId();
      try (DigestResolver r = TestResolvers.plainHttp().credentials(CredentialChain.of()).build()) {
        assertTrue(r.resolveAll(refs).stream().allMatch(ResolveResult::isSuccess));
      }
      long started = nextThreadId() - before - 1;
      assertTrue(started < 100, started + " threads made for 200 requests");
    }
  }

  /** Thread ids come from one counter, so two of them bound how many threads were made between. */
  @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; the code targets 17
  private static long nextThreadId() {
    return new Thread(() -> {}).getId();
  }
}
