package dev.ocipin.registry;

import dev.ocipin.ImageReference;
import dev.ocipin.auth.internal.Hosts;
import dev.ocipin.internal.http.Futures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Where a registry's requests go: its API endpoint (Docker Hub's is {@code registry-1.docker.io};
 * loopback and insecure registries over plain HTTP, the rest and those with TLS settings of their
 * own over HTTPS), and its mirrors first, as Docker's {@code registry-mirrors} does, falling back
 * to the registry itself.
 *
 * <p>Immutable and thread-safe.
 */
final class EndpointRouter {
  private final Map<String, List<String>> mirrors;
  private final Set<String> insecure;
  private final Set<String> secure;

  /**
   * Creates a router.
   *
   * @param mirrors mirrors by canonical registry name, in the order to try them
   * @param insecure registries reached over plain HTTP although not on loopback
   * @param secure registries with TLS settings of their own, reached over HTTPS even on loopback
   */
  EndpointRouter(Map<String, List<String>> mirrors, Set<String> insecure, Set<String> secure) {
    this.mirrors = mirrors;
    this.insecure = insecure;
    this.secure = secure;
  }

  /** Returns the endpoint of {@code registry}: its API host, and whether over plain HTTP. */
  Endpoint endpoint(String registry) {
    return Endpoint.of(registry, insecure, secure);
  }

  /** Returns whether {@code registry} has mirrors. */
  boolean isMirrored(String registry) {
    return mirrors.containsKey(Hosts.canonical(registry));
  }

  /**
   * Runs {@code call} against each mirror of the reference's registry in order, then the registry
   * itself, until one succeeds; the last failure carries the earlier ones as suppressed.
   */
  <T> CompletableFuture<T> firstSuccess(
      ImageReference ref, Function<Endpoint, CompletableFuture<T>> call) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (String m : mirrors.getOrDefault(Hosts.canonical(ref.registry()), List.of())) {
      endpoints.add(endpoint(m));
    }
    endpoints.add(endpoint(ref.registry()));
    return attempt(endpoints, 0, call, null);
  }

  private <T> CompletableFuture<T> attempt(
      List<Endpoint> endpoints,
      int i,
      Function<Endpoint, CompletableFuture<T>> call,
      @Nullable Throwable previous) {
    CompletableFuture<T> f;
    try {
      f = call.apply(endpoints.get(i));
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    if (i == endpoints.size() - 1) {
      return previous == null
          ? f
          : f.whenComplete(
              (v, e) -> {
                if (e != null) {
                  Futures.unwrap(e).addSuppressed(previous);
                }
              });
    }
    return f.handle(
            (v, e) ->
                e == null
                    ? CompletableFuture.completedFuture(v)
                    : attempt(endpoints, i + 1, call, Futures.unwrap(e)))
        .thenCompose(Function.identity());
  }
}
