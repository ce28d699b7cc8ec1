package dev.ocipin;

import static dev.ocipin.MockRegistry.bearerChallenge;
import static dev.ocipin.MockRegistry.fixture;
import static dev.ocipin.MockRegistry.head;
import static dev.ocipin.MockRegistry.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ocipin.auth.Credential;
import dev.ocipin.auth.StaticCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCacheFileTest {
  private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  private static final byte[] INDEX = fixture("dockerhub-ruby-index.json");
  private static final String PASSWORD = "pa55word-never-on-disk";

  private final MockRegistry registry = new MockRegistry();
  @TempDir Path dir;

  @AfterEach
  void close() {
    registry.close();
  }

  private DigestResolver resolver(Path file, Instant now) {
    return TestResolvers.plainHttp()
        .credentials(
            StaticCredentials.of(registry.host(), Credential.basic("alice-user", PASSWORD)))
        .tokenCacheFile(file)
        .clock(new DigestResolverTest.MutableClock(now))
        .build();
  }

  @Test
  void secondRun_startsWarm_fileIs0600_andHoldsNoPassword() throws Exception {
    Path file = dir.resolve("cache/tokens.json");
    Instant now = Instant.now();
    registry.enqueue(
        bearerChallenge(registry.realm(), "registry.docker.io", "repository:library/ruby:pull"));
    registry.enqueue(token("persisted-token", 300));
    registry.enqueue(head(INDEX, OCI_INDEX));
    resolver(file, now).digest(registry.host() + "/library/ruby:3.3.0-slim");
    assertEquals(3, registry.server.getRequestCount());

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    String saved = Files.readString(file);
    assertFalse(saved.contains(PASSWORD));
    assertFalse(saved.contains("alice-user"), "not even the user name");

    // A new process (a new resolver) with the same file: one HEAD, with the saved token.
    registry.enqueue(head(INDEX, OCI_INDEX));
    resolver(file, now.plusSeconds(60)).digest(registry.host() + "/library/ruby:3.3.0-slim");
    assertEquals(4, registry.server.getRequestCount());
    assertEquals(
        "Bearer persisted-token", registry.takeAll().get(3).getHeaders().get("Authorization"));
  }

  @Test
  void expiredSavedToken_isNotUsed() throws Exception {
    Path file = dir.resolve("tokens.json");
    Instant now = Instant.now();
    registry.enqueue(
        bearerChallenge(registry.realm(), "registry.docker.io", "repository:library/ruby:pull"));
    registry.enqueue(token("short", 60));
    registry.enqueue(head(INDEX, OCI_INDEX));
    resolver(file, now).digest(registry.host() + "/library/ruby:3.3.0-slim");

    registry.enqueue(token("renewed", 300));
    registry.enqueue(head(INDEX, OCI_INDEX));
    resolver(file, now.plusSeconds(3600)).digest(registry.host() + "/library/ruby:3.3.0-slim");
    // The challenge was saved (no 401 round trip), the expired token was not.
    assertEquals(5, registry.server.getRequestCount());
    assertEquals("Bearer renewed", registry.takeAll().get(4).getHeaders().get("Authorization"));
  }
}
