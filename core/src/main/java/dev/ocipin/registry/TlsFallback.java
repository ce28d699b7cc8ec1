package dev.ocipin.registry;

import dev.ocipin.internal.http.Futures;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Docker's rule for registries that are insecure by default (loopback): the first exchange with
 * such a registry goes over HTTPS; when the server answers the handshake with something that is not
 * TLS, it is sent again over plain HTTP. The outcome is remembered per host for the client's life,
 * so it costs one attempt per registry, and exchanges that start while the first is out wait for
 * its outcome instead of probing too. A certificate problem means the server does speak TLS: it is
 * reported, never answered by falling back to plain HTTP.
 *
 * <p>Thread-safe.
 */
final class TlsFallback {
  /** Per host: whether it is reached over plain HTTP, once known. */
  private final ConcurrentHashMap<String, CompletableFuture<Boolean>> outcomes =
      new ConcurrentHashMap<>();

  /** Returns {@code e} with its scheme settled, when the outcome for its host is known. */
  Endpoint settled(Endpoint e) {
    if (!e.tlsFallback()) {
      return e;
    }
    CompletableFuture<Boolean> known = outcomes.get(e.host());
    if (known == null || !known.isDone() || known.isCompletedExceptionally()) {
      return e;
    }
    return known.join() ? e.overPlainHttp() : e.overHttps();
  }

  /** Returns the scheme learned for {@code host}: true for plain HTTP; empty until known. */
  Optional<Boolean> plainHttp(String host) {
    CompletableFuture<Boolean> known = outcomes.get(host);
    return known == null || !known.isDone() || known.isCompletedExceptionally()
        ? Optional.empty()
        : Optional.of(known.join());
  }

  /** Runs {@code exchange} with {@code e}'s scheme settled, probing it first if need be. */
  <T> CompletableFuture<T> run(Endpoint e, Function<Endpoint, CompletableFuture<T>> exchange) {
    if (!e.tlsFallback()) {
      return exchange.apply(e);
    }
    CompletableFuture<Boolean> mine = new CompletableFuture<>();
    CompletableFuture<Boolean> known = outcomes.putIfAbsent(e.host(), mine);
    if (known != null) {
      return known
          .handle(
              (plain, failed) ->
                  failed == null
                      ? exchange.apply(plain ? e.overPlainHttp() : e.overHttps())
                      : run(e, exchange))
          .thenCompose(Function.identity());
    }
    CompletableFuture<T> first;
    try {
      first = exchange.apply(e.overHttps());
    } catch (RuntimeException ex) {
      first = CompletableFuture.failedFuture(ex);
    }
    return first
        .handle(
            (v, failed) -> {
              if (failed == null) {
                mine.complete(false);
                return CompletableFuture.completedFuture(v);
              }
              Throwable cause = Futures.unwrap(failed);
              Optional<TlsFailures.Kind> kind = TlsFailures.classify(cause);
              // On loopback a handshake that times out is a server waiting for a request line.
              boolean silent = cause instanceof java.net.http.HttpConnectTimeoutException;
              if (kind.isPresent() && kind.get() == TlsFailures.Kind.NOT_TLS || silent) {
                mine.complete(true);
                return exchange.apply(e.overPlainHttp());
              }
              if (kind.isPresent() && kind.get().isCertificateProblem()) {
                mine.complete(false); // it speaks TLS; its certificate is the problem
              } else {
                // Nothing learned (refused, cancelled): the next exchange probes again.
                outcomes.remove(e.host(), mine);
                mine.completeExceptionally(cause);
              }
              return CompletableFuture.<T>failedFuture(cause);
            })
        .thenCompose(Function.identity());
  }
}
