package dev.ocipin.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.Digest;
import dev.ocipin.DigestResolver;
import dev.ocipin.ResolveResult;
import dev.ocipin.auth.CredentialChain;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The real registry stops and comes back in the middle of a batch; the batch rides it out. */
class RegistryRestartIT {
  @Test
  void batch_survivesARegistryRestart() throws Exception {
    try (RegistryServer registry =
        RegistryServer.anonymous(Files.createTempDirectory("ocipin-it-restart"))) {
      Pusher p = new Pusher(registry.host(), repo -> null);
      int n = 40;
      List<String> refs = new ArrayList<>();
      Map<String, Digest> expected = new HashMap<>();
      for (int i = 0; i < n; i++) {
        String ref = registry.host() + "/restart/app" + i + ":1";
        refs.add(ref);
        expected.put(ref, Fixtures.singleManifest(p, "restart/app" + i, "1", "amd64").index());
      }
      AtomicInteger seen = new AtomicInteger();
      AtomicBoolean restarted = new AtomicBoolean();
      AtomicInteger failedAttempts = new AtomicInteger();
      DigestResolver resolver =
          DigestResolver.builder()
              .credentials(CredentialChain.of())
              .maxConcurrentRequestsPerRegistry(2)
              .maxAttempts(8)
              .retryBaseDelay(Duration.ofMillis(300))
              .listener(
                  e -> {
                    if (e.status() == 0) {
                      failedAttempts.incrementAndGet();
                    }
                    if (seen.incrementAndGet() == 10 && restarted.compareAndSet(false, true)) {
                      Thread bounce =
                          new Thread(
                              () -> {
                                try {
                                  registry.stop();
                                  Thread.sleep(500);
                                  registry.start();
                                } catch (Exception ex) {
                                  throw new IllegalStateException(ex);
                                }
                              });
                      bounce.start();
                    }
                  })
              .build();
      List<ResolveResult> results = resolver.resolveAll(refs);
      assertTrue(restarted.get());
      assertTrue(failedAttempts.get() > 0, "some requests met the stopped registry");
      for (ResolveResult r : results) {
        assertTrue(r.isSuccess(), r.toString());
        assertEquals(expected.get(r.input()), r.resolved().orElseThrow().digest());
      }
    }
  }
}
