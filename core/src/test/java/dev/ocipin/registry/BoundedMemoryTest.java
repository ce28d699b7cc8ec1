package dev.ocipin.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.Digest;
import dev.ocipin.ImageReference;
import dev.ocipin.auth.CredentialChain;
import dev.ocipin.model.ImageIndex;
import dev.ocipin.model.Manifests;
import dev.ocipin.model.MediaType;
import dev.ocipin.model.ParsedManifest;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/** A large batch keeps at most the cache's bound of manifest bodies in memory. */
class BoundedMemoryTest {
  @Test
  void tenThousandReferences_cacheStaysWithinItsBound() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              // A different small index per repository, so every body has its own digest.
              byte[] body =
                  Manifests.toJson(
                      ImageIndex.builder()
                          .mediaType(MediaType.OCI_INDEX)
                          .putAnnotations("repo", request.getTarget())
                          .build());
              return new MockResponse.Builder()
                  .code(200)
                  .addHeader("Content-Type", MediaType.OCI_INDEX.toString())
                  .addHeader("Docker-Content-Digest", Digest.sha256(body).toString())
                  .body(new Buffer().write(body))
                  .build();
            }
          });
      server.start(InetAddress.getByName("127.0.0.1"), 0);
      RegistryClient client =
          RegistryClient.builder()
              .credentials(CredentialChain.of())
              .manifestCacheSize(100)
              .maxConcurrentRequestsPerRegistry(32)
              .build();
      List<ImageReference> refs = new ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        refs.add(ImageReference.parse("127.0.0.1:" + server.getPort() + "/bulk/app" + i + ":1"));
      }
      List<CompletableFuture<ParsedManifest>> all = client.getAll(refs);
      CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).join();
      assertEquals(10_000, all.stream().filter(f -> !f.isCompletedExceptionally()).count());
      assertTrue(client.cachedManifests() <= 100, "cached " + client.cachedManifests());
      assertEquals(10_000, server.getRequestCount());
    }
  }
}
