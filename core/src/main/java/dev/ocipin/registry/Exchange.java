package dev.ocipin.registry;

import dev.ocipin.internal.http.CappedBody;
import dev.ocipin.internal.http.Futures;
import dev.ocipin.internal.http.RedirectPolicy;
import dev.ocipin.internal.http.Secrets;
import dev.ocipin.internal.http.Urls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP exchange with a registry or its token service: the request (user agent, timeout,
 * HTTP/1.1 over plain HTTP), the client and thread it is sent on ({@link ClientPool#send}), the
 * body read up to its cap, the whole exchange bounded by the request timeout, redirects followed by
 * hand under {@link RedirectPolicy}, error bodies scrubbed of every secret sent, and one listener
 * event per request with a printable URL.
 *
 * <p>Thread-safe.
 */
final class Exchange {
  /** Error bodies are only quoted, so little of them is read. */
  static final int ERROR_BODY_CAP = 64 * 1024;

  /** Token responses larger than this are refused. */
  static final int TOKEN_BODY_CAP = 1024 * 1024;

  private final Transport.Config config;
  private final Secrets secrets;

  Exchange(Transport.Config config, Secrets secrets) {
    this.config = config;
    this.secrets = secrets;
  }

  /**
   * Starts a request to {@code uri} with the user agent, the timeout and, over plain HTTP,
   * HTTP/1.1.
   */
  HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(config.requestTimeout())
            .header("User-Agent", config.userAgent());
    if ("http".equalsIgnoreCase(uri.getScheme())) {
      b.version(HttpClient.Version.HTTP_1_1);
    }
    return b;
  }

  /**
   * Bounds the whole exchange, body included, by the request timeout: the JDK client's own timeout
   * stops at the response headers, and a registry trickling a body must not hang a build. On expiry
   * the exchange is aborted.
   */
  private <T> CompletableFuture<T> withTimeout(CompletableFuture<T> sent, URI uri) {
    Duration timeout = config.requestTimeout();
    return Futures.within(
        sent,
        timeout,
        config.executor(),
        () ->
            new java.net.http.HttpTimeoutException(
                ResponseErrors.hostAndPort(uri)
                    + " did not finish answering within "
                    + timeout.toMillis()
                    + " ms"));
  }

  /** Sends {@code request} with the client for its host. */
  private CompletableFuture<HttpResponse<byte[]>> sendAsync(
      HttpRequest request, HttpResponse.BodyHandler<byte[]> handler) {
    try {
      return config.clients().send(request, handler);
    } catch (RegistryException | IllegalStateException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Sends one token request. Failures stay raw, so that transient ones can be retried. */
  CompletableFuture<Transport.Response> token(HttpRequest request) {
    long start = config.ticker().getAsLong();
    CompletableFuture<HttpResponse<byte[]>> sent =
        sendAsync(request, info -> new CappedBody(TOKEN_BODY_CAP, info.statusCode() / 100 == 2));
    return withTimeout(sent, request.uri())
        .handle(
            (resp, e) -> {
              emit(request, resp, start);
              if (e != null) {
                throw new CompletionException(Futures.unwrap(e));
              }
              return new Transport.Response(
                  resp.statusCode(), resp.headers(), errorBody(resp), resp.uri(), false);
            });
  }

  /**
   * Sends {@code req} with {@code authorization} (or none), following redirects by hand: the {@code
   * Authorization} header goes only to the origin it was meant for. Failures stay raw, so that
   * transient ones can be retried.
   */
  CompletableFuture<Transport.Response> send(
      Transport.Request req, @Nullable String authorization) {
    URI uri = req.endpoint().base().resolve(req.path());
    return exchange(req, uri, authorization, 0);
  }

  private CompletableFuture<Transport.Response> exchange(
      Transport.Request req, URI uri, @Nullable String authorization, int hops) {
    HttpRequest.Builder b = request(uri).method(req.method(), HttpRequest.BodyPublishers.noBody());
    if (req.accept() != null) {
      b.header("Accept", req.accept());
    }
    if (authorization != null) {
      secrets.addAuthorization(authorization);
      b.header("Authorization", authorization);
    }
    HttpRequest request = b.build();
    long start = config.ticker().getAsLong();
    boolean head = req.method().equals("HEAD");
    CompletableFuture<HttpResponse<byte[]>> sent =
        sendAsync(
            request,
            info -> {
              int s = info.statusCode();
              if (head || (s >= 300 && s < 400)) {
                return HttpResponse.BodySubscribers.replacing(new byte[0]);
              }
              if (s / 100 == 2) {
                long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
                return declared > req.bodyCap()
                    ? new TooLargeUpFront(req.bodyCap())
                    : new CappedBody(req.bodyCap(), true);
              }
              return new CappedBody(ERROR_BODY_CAP, false);
            });
    if (req.cancel() != null) {
      req.cancel().add(sent);
    }
    return withTimeout(sent, uri)
        .handle(
            (resp, e) -> {
              emit(request, resp, start);
              if (e != null) {
                throw new CompletionException(Futures.unwrap(e));
              }
              return resp;
            })
        .thenCompose(
            resp -> {
              int s = resp.statusCode();
              Optional<RedirectPolicy.Decision> redirect =
                  RedirectPolicy.decide(uri, s, resp.headers().firstValue("Location"), hops);
              if (redirect.isEmpty()) {
                return CompletableFuture.completedFuture(
                    new Transport.Response(
                        s, resp.headers(), errorBody(resp), resp.uri(), hops > 0));
              }
              if (redirect.get() instanceof RedirectPolicy.Refuse) {
                String why = ((RedirectPolicy.Refuse) redirect.get()).reason();
                return CompletableFuture.failedFuture(
                    new RegistryException(
                        req.method() + " " + Urls.print(uri, secrets) + ": " + why,
                        s,
                        List.of(),
                        null));
              }
              RedirectPolicy.Follow follow = (RedirectPolicy.Follow) redirect.get();
              // Credentials stay with the origin that asked for them.
              return exchange(
                  req, follow.next(), follow.keepAuthorization() ? authorization : null, hops + 1);
            });
  }

  /**
   * The body of {@code resp}: as received when it succeeded (manifests are hashed, tokens used),
   * and scrubbed of every secret we sent when it is an error, which is only ever quoted.
   */
  private byte[] errorBody(HttpResponse<byte[]> resp) {
    return resp.statusCode() / 100 == 2 ? resp.body() : secrets.scrub(resp.body());
  }

  private void emit(HttpRequest request, @Nullable HttpResponse<?> resp, long startNanos) {
    RequestListener listener = config.listener();
    if (listener == null) {
      return;
    }
    try {
      listener.onRequest(
          new RequestEvent(
              request.method(),
              Urls.printable(request.uri(), secrets),
              resp == null ? 0 : resp.statusCode(),
              Duration.ofNanos(config.ticker().getAsLong() - startNanos),
              resp == null ? Optional.empty() : resp.headers().firstValue("RateLimit-Remaining")));
    } catch (RuntimeException ignored) {
      // A listener must not break a resolution.
    }
  }

  /** Fails at once when Content-Length already exceeds the cap, reading nothing. */
  private static final class TooLargeUpFront implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final long cap;

    TooLargeUpFront(long cap) {
      this.cap = cap;
    }

    @Override
    public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
      s.cancel();
      result.completeExceptionally(new CappedBody.TooLargeException(cap));
    }

    @Override
    public void onNext(List<java.nio.ByteBuffer> item) {}

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.completeExceptionally(new CappedBody.TooLargeException(cap));
    }

    @Override
    public java.util.concurrent.CompletionStage<byte[]> getBody() {
      return result;
    }
  }

  /** Exposes whether a body failure was the size cap. */
  static boolean isTooLarge(Throwable t) {
    return Futures.unwrap(t) instanceof CappedBody.TooLargeException;
  }
}
