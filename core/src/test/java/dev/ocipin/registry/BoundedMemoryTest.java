package dev.ocipin.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.Digest;
import dev.ocipin.ImageReference;
import dev.ocipin.TestResolvers;
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
          TestResolvers.client()
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

  /**
   * Large manifests: 40 distinct 4 MiB indexes would hold about 700 MiB if the cache counted
   * entries only. By bytes it keeps at most its bound (four of them), and nothing else holds one.
   */
  @Test
  void largeManifests_cacheStaysWithinItsByteBound() throws Exception {
    int count = 40;
    long bound = 64L << 20;
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              byte[] body = largeIndex(request.getTarget(), 4 << 20);
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
          TestResolvers.client()
              .credentials(CredentialChain.of())
              .maxManifestBytes(8L << 20)
              .maxConcurrentRequestsPerRegistry(2)
              .build();
      List<ImageReference> refs = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        refs.add(ImageReference.parse("127.0.0.1:" + server.getPort() + "/big/app" + i + ":1"));
      }
      long alive = aliveAfterGc(fetchWeakly(client, refs));
      assertTrue(client.cachedWeight() <= bound, "cache weight " + client.cachedWeight());
      assertTrue(client.cachedManifests() <= 4, "cached " + client.cachedManifests());
      // Nothing but the cache holds a manifest once the batch is done.
      assertTrue(alive <= client.cachedManifests(), alive + " manifests still reachable");
      assertEquals(count, server.getRequestCount());
    }
  }

  /** An OCI index of about {@code size} bytes, distinct for {@code name}. */
  private static byte[] largeIndex(String name, int size) {
    StringBuilder b = new StringBuilder(size + 512);
    b.append("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",")
        .append("\"annotations\":{\"name\":\"")
        .append(name)
        .append("\"},\"manifests\":[");
    for (int i = 0; b.length() < size; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"")
          .append(Digest.sha256((name + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
          .append("\",\"size\":")
          .append(1000 + i)
          .append(",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}");
    }
    return b.append("]}").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Fetches in a frame of its own, so that no local of the test's frame keeps a result alive. */
  private static List<java.lang.ref.WeakReference<ParsedManifest>> fetchWeakly(
      RegistryClient client, List<ImageReference> refs) {
    List<java.lang.ref.WeakReference<ParsedManifest>> results = new ArrayList<>();
    for (CompletableFuture<ParsedManifest> f : client.getAll(refs)) {
      results.add(new java.lang.ref.WeakReference<>(f.join()));
    }
    return results;
  }

  private static long aliveAfterGc(List<java.lang.ref.WeakReference<ParsedManifest>> refs)
      throws InterruptedException {
    long alive = refs.size();
    for (int i = 0; i < 20 && alive > 4; i++) {
      System.gc();
      Thread.sleep(50);
      alive = refs.stream().filter(r -> r.get() != null).count();
    }
    return alive;
  }
}
