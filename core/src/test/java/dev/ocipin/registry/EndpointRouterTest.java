package dev.ocipin.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointRouterTest {
  private final EndpointRouter router =
      new EndpointRouter(
          Map.of("docker.io", List.of("mirror.example", "127.0.0.1:5000")),
          Set.of("plain.example:5000"),
          Set.of("localhost:8443"));

  @ParameterizedTest
  @CsvSource({
    "docker.io, https://registry-1.docker.io, false",
    "ghcr.io, https://ghcr.io, false",
    "plain.example:5000, http://plain.example:5000, false",
    // Loopback: HTTPS first, plain HTTP when the server speaks no TLS (TlsFallback).
    "127.0.0.1:5000, https://127.0.0.1:5000, true",
    "localhost:5000, https://localhost:5000, true",
    // TLS settings of its own: HTTPS only.
    "localhost:8443, https://localhost:8443, false",
  })
  void endpoint(String registry, String base, boolean fallback) {
    assertEquals(base, router.endpoint(registry).base().toString());
    assertEquals(fallback, router.endpoint(registry).tlsFallback());
  }

  @ParameterizedTest
  @CsvSource({
    "10.1.2.3:5000, http://10.1.2.3:5000",
    "10.255.0.1, http://10.255.0.1",
    "11.0.0.1:5000, https://11.0.0.1:5000",
    "127.0.0.1:5000, http://127.0.0.1:5000",
    "[::1]:5000, https://[::1]:5000",
    "ten.example, https://ten.example",
  })
  void insecureCidrRange_coversTheIpLiteralsInIt(String registry, String base) {
    EndpointRouter ranges =
        new EndpointRouter(Map.of(), Set.of("10.0.0.0/8", "127.0.0.0/8"), Set.of());
    assertEquals(base, ranges.endpoint(registry).base().toString());
  }

  @Test
  void mirrorsFirst_thenTheRegistry_failuresSuppressedIntoTheLast() {
    List<String> tried = new CopyOnWriteArrayList<>();
    CompletableFuture<String> f =
        router.firstSuccess(
            dev.ocipin.ImageReference.parse("ruby:3"),
            e -> {
              tried.add(e.host());
              return CompletableFuture.failedFuture(new IOException("down " + e.host()));
            });
    CompletionException e =
        org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, f::join);
    assertEquals(List.of("mirror.example", "127.0.0.1:5000", "registry-1.docker.io"), tried);
    assertEquals("down registry-1.docker.io", e.getCause().getMessage());
    assertEquals(1, e.getCause().getSuppressed().length);
    assertTrue(router.isMirrored("index.docker.io"));
  }

  @Test
  void aMirrorThatAnswers_isUsed() {
    CompletableFuture<String> f =
        router.firstSuccess(
            dev.ocipin.ImageReference.parse("ruby:3"),
            e -> CompletableFuture.completedFuture(e.host()));
    assertEquals("mirror.example", f.join());
  }
}
