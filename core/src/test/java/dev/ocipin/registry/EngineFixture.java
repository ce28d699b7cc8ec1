package dev.ocipin.registry;

import dev.ocipin.auth.CredentialProvider;
import dev.ocipin.internal.http.Retrier;
import dev.ocipin.internal.http.RetryPolicy;
import dev.ocipin.internal.http.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ForkJoinPool;
import mockwebserver3.MockWebServer;

/** The engine's parts wired as RegistryOptions wires them, against a MockWebServer on loopback. */
final class EngineFixture implements AutoCloseable {
  final MockWebServer server = new MockWebServer();
  final Secrets secrets = new Secrets();
  final List<RequestEvent> events = new CopyOnWriteArrayList<>();
  final Transport.Config config;
  final Exchange exchange;
  final Retrier<Transport.Response> retrier;

  EngineFixture(CredentialProvider credentials) {
    try {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    config =
        new Transport.Config(
            new ClientPool(
                new HttpClients(
                    Duration.ofSeconds(10), Optional.empty(), Optional.empty(), Optional.empty()),
                HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build(),
                Map.of(),
                new Trust(List.of(), List.of())),
            credentials,
            Set.of(),
            false,
            Duration.ofSeconds(5),
            Clock.systemUTC(),
            events::add,
            ForkJoinPool.commonPool(),
            Runnable::run,
            System::nanoTime,
            "ocipin-test",
            4,
            10,
            null,
            new RetryPolicy(
                2, Duration.ofMillis(1), Duration.ofSeconds(1), Duration.ofSeconds(30)));
    exchange = new Exchange(config, secrets);
    retrier =
        new Retrier<>(
            config.retry(),
            RetryPolicy::retryable,
            Transport.Response::status,
            r -> r.header("Retry-After"),
            config.executor(),
            config.clock(),
            config.ticker(),
            () -> 0L);
  }

  String host() {
    return "127.0.0.1:" + server.getPort();
  }

  Endpoint endpoint() {
    return Endpoint.of(host(), Set.of(host()), Set.of());
  }

  String realm() {
    return "http://" + host() + "/token";
  }

  /** Teaches {@code challenges} the registry's own 401 with {@code wwwAuthenticate}. */
  void learn(ChallengeCache challenges, String wwwAuthenticate) {
    java.net.http.HttpHeaders h =
        java.net.http.HttpHeaders.of(
            Map.of("WWW-Authenticate", List.of(wwwAuthenticate)), (k, v) -> true);
    challenges.learn(
        endpoint(),
        new Transport.Response(
            401, h, new byte[0], java.net.URI.create("http://" + host() + "/v2/"), false));
  }

  /** The Bearer challenge of this fixture's own token endpoint, service {@code s}. */
  String bearer() {
    return "Bearer realm=\"" + realm() + "\",service=\"s\"";
  }

  TokenClient tokenClient() {
    return new TokenClient(exchange, retrier, secrets, config.clock(), config.ticker(), false);
  }

  Transport.Request get(String path) {
    return new Transport.Request(endpoint(), "library/ruby", "GET", path, "*/*", 1 << 20, null);
  }

  static Optional<String> none() {
    return Optional.empty();
  }

  @Override
  public void close() {
    server.close();
  }
}
