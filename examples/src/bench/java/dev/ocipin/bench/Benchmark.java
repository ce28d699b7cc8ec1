package dev.ocipin.bench;

import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import com.google.cloud.tools.jib.registry.RegistryClient;
import dev.ocipin.DigestResolver;
import dev.ocipin.ImageReference;
import dev.ocipin.ResolveResult;
import dev.ocipin.auth.CredentialChain;
import dev.ocipin.it.Fixtures;
import dev.ocipin.it.Pusher;
import dev.ocipin.it.RegistryServer;
import dev.ocipin.it.TokenIssuer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Resolves the same tags with ocipin and with Jib's jib-core RegistryClient, against the real
 * distribution registry in token-auth mode (as Docker Hub works) behind a proxy that adds network
 * latency, and prints requests and wall time side by side.
 *
 * <p>Run: {@code ./mvnw -B -q -Pbench -DskipTests verify}. Properties: {@code -Dbench.repos=200},
 * {@code -Dbench.latencyMs=25} (each way), {@code -Dbench.runs=3}. Everything stays on 127.0.0.1.
 */
public final class Benchmark {
  private Benchmark() {}

  private record Row(String name, int requests, int tags, List<Long> millis) {
    long median() {
      List<Long> sorted = new ArrayList<>(millis);
      Collections.sort(sorted);
      return sorted.get(sorted.size() / 2);
    }
  }

  public static void main(String[] args) throws Exception {
    int repos = Integer.getInteger("bench.repos", 200);
    int latency = Integer.getInteger("bench.latencyMs", 25);
    int runs = Integer.getInteger("bench.runs", 3);
    Path dir = Files.createTempDirectory("ocipin-bench");
    try (TokenIssuer issuer = TokenIssuer.start(dir);
        LatencyProxy issuerProxy = new LatencyProxy(issuer.port(), latency)) {
      issuer.publicPort(issuerProxy.port());
      try (RegistryServer registry = RegistryServer.token(dir, issuer);
          LatencyProxy registryProxy = new LatencyProxy(registry.port(), latency)) {
        System.err.printf("pushing %d repositories, each a 2-platform index...%n", repos);
        Pusher pusher =
            new Pusher(
                registry.host(),
                repo -> "Bearer " + issuer.mint(List.of("repository:" + repo + ":pull,push")));
        for (int i = 0; i < repos; i++) {
          Fixtures.dockerManifestList(pusher, "bench/app" + i, "1.0");
        }
        String host = "127.0.0.1:" + registryProxy.port();
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < repos; i++) {
          refs.add(host + "/bench/app" + i + ":1.0");
        }
        Counter counter = () -> registryProxy.requests() + issuerProxy.requests();
        Runnable reset =
            () -> {
              registryProxy.reset();
              issuerProxy.reset();
            };

        List<Row> rows = new ArrayList<>();
        rows.add(
            measure(
                "ocipin cold batch (resolveAll)",
                runs,
                repos,
                counter,
                reset,
                () -> {
                  check(newResolver().resolveAll(refs));
                }));
        DigestResolver warm = newResolver();
        check(warm.resolveAll(refs));
        rows.add(
            measure(
                "ocipin warm batch (resolveAll)",
                runs,
                repos,
                counter,
                reset,
                () -> {
                  check(warm.resolveAll(refs));
                }));
        rows.add(
            measure(
                "ocipin sequential digest()",
                runs,
                repos,
                counter,
                reset,
                () -> {
                  DigestResolver r = newResolver();
                  for (String ref : refs) {
                    r.digest(ref);
                  }
                }));
        rows.add(
            measure(
                "Jib RegistryClient, sequential",
                runs,
                repos,
                counter,
                reset,
                () -> {
                  FailoverHttpClient http = new FailoverHttpClient(true, true, log -> {});
                  for (String ref : refs) {
                    ImageReference r = ImageReference.parse(ref);
                    RegistryClient client =
                        RegistryClient.factory(
                                EventHandlers.NONE, r.registry(), r.repository(), http)
                            .newRegistryClient();
                    client.doPullBearerAuth();
                    client.pullManifest(r.tag().orElseThrow(), ManifestTemplate.class);
                  }
                }));
        print(rows, repos, latency, runs);
      }
    }
  }

  private static DigestResolver newResolver() {
    // The registry stands in for a remote one: named plain HTTP, so no resolver spends an HTTPS
    // attempt on it (a loopback registry's default), as before the attempt existed.
    return DigestResolver.builder()
        .credentials(CredentialChain.of())
        .insecureRegistry("127.0.0.0/8")
        .build();
  }

  private static void check(List<ResolveResult> results) {
    for (ResolveResult r : results) {
      if (!r.isSuccess()) {
        throw new IllegalStateException(r.toString());
      }
    }
  }

  interface Counter {
    int get();
  }

  interface Task {
    void run() throws Exception;
  }

  private static Row measure(
      String name, int runs, int tags, Counter counter, Runnable reset, Task task)
      throws Exception {
    List<Long> millis = new ArrayList<>();
    int requests = -1;
    for (int i = 0; i < runs; i++) {
      reset.run();
      long start = System.nanoTime();
      task.run();
      millis.add((System.nanoTime() - start) / 1_000_000);
      // Let the proxies forward the last bytes before counting.
      Thread.sleep(200);
      int n = counter.get();
      if (requests >= 0 && n != requests) {
        System.err.printf(
            "note: %s made %d requests in run %d, %d before%n", name, n, i + 1, requests);
      }
      requests = n;
      System.err.printf("%s: run %d: %d ms, %d requests%n", name, i + 1, millis.get(i), n);
    }
    return new Row(name, requests, tags, millis);
  }

  private static void print(List<Row> rows, int repos, int latency, int runs) {
    Row ocipin = rows.get(0);
    System.out.printf(
        Locale.ROOT,
        "%n%d tags in %d repositories, %d ms latency each way, median of %d runs, %s, %d cores%n%n",
        repos,
        repos,
        latency,
        runs,
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    System.out.println(
        "| peer | requests | requests/tag | wall time (median) | time vs ocipin cold batch |");
    System.out.println("| --- | ---: | ---: | ---: | ---: |");
    for (Row r : rows) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %d | %.2f | %d ms | %.1fx |%n",
          r.name(),
          r.requests(),
          r.requests() / (double) r.tags(),
          r.median(),
          r.median() / (double) Math.max(1, ocipin.median()));
    }
  }
}
