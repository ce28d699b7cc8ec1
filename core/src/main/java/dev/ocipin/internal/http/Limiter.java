package dev.ocipin.internal.http;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Caps how many asynchronous operations run at once, queueing the rest without holding a thread for
 * them. Thread-safe.
 */
public final class Limiter {
  private final int permits;
  private final Executor executor;
  private int running;
  private final Queue<Runnable> waiting = new ArrayDeque<>();

  public Limiter(int permits, Executor executor) {
    this.permits = permits;
    this.executor = executor;
  }

  public <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> operation) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Runnable start =
        () -> {
          CompletableFuture<T> f;
          try {
            f = operation.get();
          } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
          }
          f.whenComplete(
              (v, e) -> {
                release();
                if (e != null) {
                  result.completeExceptionally(e);
                } else {
                  result.complete(v);
                }
              });
        };
    boolean now;
    synchronized (this) {
      now = running < permits;
      if (now) {
        running++;
      } else {
        waiting.add(start);
      }
    }
    if (now) {
      start.run();
    }
    return result;
  }

  private void release() {
    Runnable next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        running--;
      }
    }
    if (next != null) {
      // On the executor, not this stack: a queue of operations that finish at once must not
      // recurse once per queued operation.
      executor.execute(next);
    }
  }
}
