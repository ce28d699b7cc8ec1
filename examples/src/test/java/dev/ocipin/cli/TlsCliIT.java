package dev.ocipin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.TestCertificates;
import dev.ocipin.it.Fixtures;
import dev.ocipin.it.Pusher;
import dev.ocipin.it.RegistryServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line against the real registry in TLS mode with a private CA: trusted with {@code
 * --ca-cert}, and through {@code $HOME/.config/containers/certs.d} in a process whose {@code HOME}
 * is not the account's home (as on a CI runner), where both skopeo and podman look too.
 */
class TlsCliIT {
  @TempDir Path work;

  @Test
  void caCert_andTheUsersCertsDirectoryUnderHome() throws Exception {
    TestCertificates ca = TestCertificates.authority("corp CA");
    Path[] pem = TestCertificates.writeServer(ca.server("127.0.0.1"), work.resolve("server"));
    try (RegistryServer registry =
        RegistryServer.anonymousTls(
            Files.createDirectories(work.resolve("registry")), pem[0], pem[1])) {
      Fixtures.Pushed ruby =
          Fixtures.dockerHubIndex(
              new Pusher(registry.host(), ca.clientContext()), "library/ruby", "3.3.0-slim", "x");
      String ref = registry.host() + "/library/ruby:3.3.0-slim";
      Path caPem = ca.writeCa(work.resolve("corp-ca.pem"));

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code =
          new Cli(
                  new PrintStream(out, true, StandardCharsets.UTF_8),
                  new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
              .run(new String[] {"digest", "--ca-cert", caPem.toString(), ref});
      assertEquals(0, code);
      assertEquals(ruby.index() + "\n", out.toString(StandardCharsets.UTF_8));

      Path home = Files.createDirectories(work.resolve("ci-home"));
      Process untrusted = cli(home, "digest", ref);
      String err = new String(untrusted.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(2, untrusted.waitFor());
      Path userDir = home.resolve(".config/containers/certs.d").resolve(registry.host());
      assertTrue(err.contains("sent a certificate from an issuer that is not trusted"), err);
      assertTrue(err.contains("(or under " + userDir + ")"), err);

      ca.writeCa(userDir.resolve("ca.crt"));
      Process trusted = cli(home, "digest", ref);
      String printed = new String(trusted.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, trusted.waitFor(), printed);
      assertEquals(ruby.index() + "\n", printed);
      // What the launcher keeps a start-up cache per kind by: this run spoke TLS.
      assertEquals("tls\n", Files.readString(home.resolve("connection")));
    }
  }

  /** Runs the built command line in a process whose {@code HOME} is {@code home}. */
  private static Process cli(Path home, String... args) throws Exception {
    Path jar = Path.of("target", "ocipin.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), "the package phase builds " + jar);
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("HOME", home.toString());
    pb.environment().put("OCIPIN_CONNECTION_FILE", home.resolve("connection").toString());
    pb.environment().remove("DOCKER_CONFIG");
    pb.environment().remove("REGISTRY_AUTH_FILE");
    Process p = pb.start();
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the command line did not finish in 60 s");
    }
    return p;
  }
}
