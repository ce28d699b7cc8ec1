package dev.ocipin;

import static dev.ocipin.MockRegistry.fixture;
import static dev.ocipin.MockRegistry.head;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.auth.Credential;
import dev.ocipin.auth.CredentialProvider;
import java.net.http.HttpClient;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * close() releases what the resolver built, leaves what the caller gave it, and fails later use.
 */
class CloseTest {
  private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  private static final byte[] INDEX = fixture("dockerhub-ruby-index.json");
  private final MockRegistry registry = new MockRegistry();

  @AfterEach
  void stop() {
    registry.close();
  }

  private static Set<String> threads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith(prefix))
        .collect(Collectors.toSet());
  }

  @Test
  void close_releasesItsThreads_andLaterCallsFail() throws Exception {
    CredentialProvider anonymous = (r, repo) -> Optional.of(Credential.anonymous());
    Set<String> before = threads("ocipin-credentials-");
    DigestResolver resolver = TestResolvers.plainHttp().credentials(anonymous).build();
    registry.enqueue(
        MockRegistry.response(401).addHeader("WWW-Authenticate", "Basic realm=\"r\"").build());
    registry.enqueue(head(INDEX, OCI_INDEX));
    assertEquals(Digest.sha256(INDEX), resolver.digest(registry.host() + "/app:1"));
    Set<String> mine = new java.util.HashSet<>(threads("ocipin-credentials-"));
    mine.removeAll(before);
    assertTrue(!mine.isEmpty(), "a credential lookup ran on the resolver's own pool");

    resolver.close();
    resolver.close(); // twice does nothing
    for (int i = 0;
        i < 100 && threads("ocipin-credentials-").stream().anyMatch(mine::contains);
        i++) {
      Thread.sleep(20);
    }
    Set<String> left = new java.util.HashSet<>(threads("ocipin-credentials-"));
    left.retainAll(mine);
    assertEquals(Set.of(), left);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> resolver.digest(registry.host() + "/app:1"));
    assertTrue(e.getMessage().contains("is closed"), e.getMessage());
    assertEquals(2, registry.server.getRequestCount());
  }

  @Test
  void close_leavesACallerSuppliedHttpClientWorking() throws Exception {
    HttpClient mine = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    DigestResolver first =
        TestResolvers.plainHttp()
            .credentials((r, repo) -> Optional.empty())
            .httpClient(mine)
            .build();
    first.close();
    DigestResolver second =
        TestResolvers.plainHttp()
            .credentials((r, repo) -> Optional.empty())
            .httpClient(mine)
            .build();
    registry.enqueue(head(INDEX, OCI_INDEX));
    assertEquals(Digest.sha256(INDEX), second.digest(registry.host() + "/app:1"));
    second.close();
  }
}
