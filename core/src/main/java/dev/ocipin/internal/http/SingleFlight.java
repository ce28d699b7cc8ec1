package dev.ocipin.internal.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs one operation for every caller asking for the same key at the same time, as Go's
 * singleflight does, and keeps OkHttp's promise that cancelling a call aborts its exchanges: each
 * caller gets a future of its own, and only when every caller has cancelled is the operation's
 * {@link CancelScope} cancelled, aborting its HTTP exchanges. A caller that cancels alone leaves
 * the others their result.
 *
 * <p>Thread-safe.
 *
 * @param <K> the key type
 */
public final class SingleFlight<K> {
  private final ConcurrentHashMap<K, Call<?>> inFlight = new ConcurrentHashMap<>();

  private static final class Call<T> {
    final CompletableFuture<T> result = new CompletableFuture<>();
    final CancelScope cancel = new CancelScope();
    final AtomicInteger waiting = new AtomicInteger();
  }

  /**
   * Returns a future of the operation for {@code key}: the one in flight, or {@code call} started
   * now with a new cancellation scope.
   */
  @SuppressWarnings("unchecked")
  public <T> CompletableFuture<T> join(K key, Function<CancelScope, CompletableFuture<T>> call) {
    Call<T> mine = new Call<>();
    Call<T> existing = (Call<T>) inFlight.putIfAbsent(key, mine);
    Call<T> op = existing != null ? existing : mine;
    op.waiting.incrementAndGet();
    CompletableFuture<T> view = op.result.thenApply(Function.identity());
    view.whenComplete(
        (v, e) -> {
          if (view.isCancelled() && op.waiting.decrementAndGet() == 0) {
            op.cancel.cancel();
            op.result.cancel(true);
          }
        });
    if (existing == null) {
      CompletableFuture<T> f;
      try {
        f = call.apply(mine.cancel);
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      f.whenComplete(
          (v, e) -> {
            inFlight.remove(key, mine);
            if (e != null) {
              mine.result.completeExceptionally(e);
            } else {
              mine.result.complete(v);
            }
          });
    }
    return view;
  }

  /** Returns how many operations are in flight. */
  public int size() {
    return inFlight.size();
  }
}
