package dev.ocipin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.it.Fixtures;
import dev.ocipin.it.Pusher;
import dev.ocipin.it.RegistryServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing is built before it is needed: a digest of a plain-HTTP registry on loopback (HEAD only)
 * sets up no TLS and loads no JSON code, while an inspect, which reads the manifest, does load the
 * JSON code. Seen through the JVM's class-loading log of the built command line.
 */
class LazyStartIT {
  @TempDir Path dir;

  private String classesLoadedBy(String... args) throws Exception {
    Path log = dir.resolve("classes-" + args[0] + ".txt");
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:off",
                "-Xlog:class+load:file=" + log,
                "-jar",
                Path.of("target", "ocipin.jar").toAbsolutePath().toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("HOME", dir.toString()); // no docker config of the machine's
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return Files.readString(log);
  }

  @Test
  void digestOfAPlainRegistry_setsUpNoTls_andLoadsNoJson() throws Exception {
    try (RegistryServer registry =
        RegistryServer.anonymous(Files.createDirectories(dir.resolve("registry")))) {
      Fixtures.dockerHubIndex(
          new Pusher(registry.host(), repo -> null), "library/ruby", "3.3.0-slim", "lazy");
      String ref = registry.host() + "/library/ruby:3.3.0-slim";

      String digest = classesLoadedBy("digest", ref);
      assertFalse(digest.contains("com.fasterxml.jackson"), "no JSON code for a HEAD");
      assertFalse(digest.contains("sun.security.ssl.SSLContextImpl"), "no TLS context");
      assertFalse(digest.contains("sun.security.ssl.TrustStoreManager"), "no trust store read");
      assertTrue(digest.contains("dev.ocipin.registry.TlsFallback"), "the TLS question was asked");

      String inspect = classesLoadedBy("inspect", ref);
      assertTrue(inspect.contains("com.fasterxml.jackson.databind.ObjectMapper"), "JSON is read");
    }
  }
}
