package dev.ocipin.internal.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body up to a cap without blocking a thread. Past the cap it either cancels
 * the exchange and fails with {@link TooLargeException} ({@code strict}), or keeps the first {@code
 * cap} bytes and discards the rest (for error bodies, which are only quoted).
 */
public final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
  private final long cap;
  private final boolean strict;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private Flow.Subscription subscription;

  /** Thrown (strict mode) when the body exceeds the cap. */
  public static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    public TooLargeException(long cap) {
      super("body exceeds " + cap + " bytes");
    }
  }

  public CappedBody(long cap, boolean strict) {
    this.cap = cap;
    this.strict = strict;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    this.subscription = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer b : items) {
      int n = b.remaining();
      if (buffer.size() + (long) n > cap) {
        if (strict) {
          subscription.cancel();
          result.completeExceptionally(new TooLargeException(cap));
          return;
        }
        n = (int) (cap - buffer.size());
      }
      byte[] chunk = new byte[n];
      b.get(chunk);
      buffer.write(chunk, 0, n);
    }
  }

  @Override
  public void onError(Throwable t) {
    result.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    result.complete(buffer.toByteArray());
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }
}
