package dev.ocipin.bench;

import dev.ocipin.DigestResolver;
import dev.ocipin.ResolveResult;
import dev.ocipin.auth.CredentialChain;
import dev.ocipin.it.Fixtures;
import dev.ocipin.it.Pusher;
import dev.ocipin.it.RegistryServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's CPU per request: fresh resolvers, each resolving a batch of tags against the real
 * distribution registry with token auth, as a Maven build would; process CPU time (this JVM: the
 * client, its JIT and GC, nothing else: the token issuer runs in a JVM of its own and the registry
 * is a Go process) over the requests the registry and the token issuer say they answered.
 *
 * <p>Run: {@code ./mvnw -B -q -Pbench -DskipTests verify}. Properties: {@code -Dbench.repos=300},
 * {@code -Dbench.warmup=30} (rounds before measuring, for the JIT), {@code -Dbench.rounds=20},
 * {@code -Dbench.jfr=FILE} to record the measured rounds with JFR's profile settings (which
 * themselves cost CPU: measure without). Everything stays on 127.0.0.1.
 */
public final class CpuPerRequest {
  private CpuPerRequest() {}

  public static void main(String[] args) throws Exception {
    int repos = Integer.getInteger("bench.repos", 300);
    int warmup = Integer.getInteger("bench.warmup", 30);
    int rounds = Integer.getInteger("bench.rounds", 20);
    String jfr = System.getProperty("bench.jfr");
    Path dir = Files.createTempDirectory("ocipin-cpu");
    Process issuer =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                TokenServer.class.getName(),
                Files.createDirectories(dir.resolve("issuer")).toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader fromIssuer =
        new BufferedReader(new InputStreamReader(issuer.getInputStream(), StandardCharsets.UTF_8));
    PrintStream toIssuer = new PrintStream(issuer.getOutputStream(), true, StandardCharsets.UTF_8);
    String[] started = fromIssuer.readLine().split(" ");
    try (RegistryServer registry =
        RegistryServer.token(
            Files.createDirectories(dir.resolve("registry")), started[0], Path.of(started[1]))) {
      System.err.printf("pushing %d repositories, each a 2-platform index...%n", repos);
      Pusher pusher =
          new Pusher(
              registry.host(),
              repo -> {
                try {
                  toIssuer.println("mint repository:" + repo + ":pull,push");
                  return "Bearer " + fromIssuer.readLine();
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      List<String> refs = new ArrayList<>();
      for (int i = 0; i < repos; i++) {
        Fixtures.dockerManifestList(pusher, "cpu/app" + i, "1.0");
        refs.add(registry.host() + "/cpu/app" + i + ":1.0");
      }
      for (int i = 0; i < warmup; i++) {
        batch(refs);
      }
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      jdk.jfr.Recording recording = null;
      if (jfr != null) {
        recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
        recording.start();
      }
      long requests0 = answered(registry, toIssuer, fromIssuer);
      long cpu0 = os.getProcessCpuTime();
      long wall0 = System.nanoTime();
      for (int i = 0; i < rounds; i++) {
        batch(refs);
      }
      long wall = System.nanoTime() - wall0;
      long cpu = os.getProcessCpuTime() - cpu0;
      if (recording != null) {
        recording.stop();
        recording.dump(Path.of(jfr));
        recording.close();
      }
      Thread.sleep(500); // the registry writes its access log line after the response
      long requests = answered(registry, toIssuer, fromIssuer) - requests0;
      System.out.printf(
          "client CPU per request: %.3f ms (%.0f ms of process CPU over %d requests answered by"
              + " the registry and its token issuer; %d rounds of a fresh resolver over %d tags;"
              + " wall %.0f ms)%n",
          cpu / 1e6 / requests, cpu / 1e6, requests, rounds, repos, wall / 1e6);
    } finally {
      toIssuer.close();
      issuer.waitFor();
    }
  }

  private static long answered(RegistryServer registry, PrintStream to, BufferedReader from)
      throws Exception {
    to.println("count");
    return registry.requestsAnswered() + Long.parseLong(from.readLine().trim());
  }

  private static void batch(List<String> refs) throws Exception {
    try (DigestResolver r =
        DigestResolver.builder()
            .credentials(CredentialChain.of())
            .insecureRegistry("127.0.0.0/8")
            .build()) {
      for (ResolveResult result : r.resolveAll(refs)) {
        if (!result.isSuccess()) {
          throw new IllegalStateException(result.toString());
        }
      }
    }
  }
}
