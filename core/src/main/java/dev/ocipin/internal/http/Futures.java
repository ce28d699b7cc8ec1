package dev.ocipin.internal.http;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Composes futures so that cancelling the result cancels the step it is waiting on, and bounds them
 * by a timeout that aborts the step.
 */
public final class Futures {
  private Futures() {}

  /** Unwraps CompletionException and friends to the cause a caller should see. */
  public static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException
            || c instanceof ExecutionException
            || c instanceof UncheckedIOException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  /** Like {@code in.thenApply(f)}, and cancelling the result cancels {@code in}. */
  public static <T, U> CompletableFuture<U> map(CompletableFuture<T> in, Function<T, U> f) {
    CompletableFuture<U> out = in.thenApply(f);
    out.whenComplete(
        (v, e) -> {
          if (out.isCancelled()) {
            in.cancel(true);
          }
        });
    return out;
  }

  /**
   * Like {@code in.thenCompose(f)}, and cancelling the result cancels whichever of {@code in} or
   * the future {@code f} returned it is waiting on.
   */
  public static <T, U> CompletableFuture<U> compose(
      CompletableFuture<T> in, Function<T, CompletableFuture<U>> f) {
    AtomicReference<CompletableFuture<?>> current = new AtomicReference<>(in);
    CompletableFuture<U> out =
        in.thenCompose(
            v -> {
              CompletableFuture<U> next = f.apply(v);
              current.set(next);
              return next;
            });
    out.whenComplete(
        (v, e) -> {
          if (out.isCancelled()) {
            current.get().cancel(true);
          }
        });
    return out;
  }

  /**
   * Starts {@code next} once {@code gate} completes, whatever its outcome. Cancelling the result
   * before then means {@code next} never starts; after, it cancels the future {@code next}
   * returned. {@code gate} itself is never cancelled: others may be waiting on it too.
   */
  public static <U> CompletableFuture<U> after(
      CompletableFuture<?> gate, Supplier<CompletableFuture<U>> next) {
    CompletableFuture<U> out = new CompletableFuture<>();
    AtomicReference<CompletableFuture<U>> started = new AtomicReference<>();
    gate.whenComplete(
        (v, e) -> {
          if (out.isDone()) {
            return;
          }
          CompletableFuture<U> f;
          try {
            f = next.get();
          } catch (RuntimeException ex) {
            f = CompletableFuture.failedFuture(ex);
          }
          started.set(f);
          if (out.isCancelled()) {
            f.cancel(true);
          }
          f.whenComplete(
              (r, ex) -> {
                if (ex != null) {
                  out.completeExceptionally(ex);
                } else {
                  out.complete(r);
                }
              });
        });
    out.whenComplete(
        (v, e) -> {
          CompletableFuture<U> f = started.get();
          if (out.isCancelled() && f != null) {
            f.cancel(true);
          }
        });
    return out;
  }

  /**
   * Bounds {@code in} by {@code timeout}: on expiry the result fails with the exception {@code
   * expired} makes, {@code in} is cancelled, and the failure is delivered on {@code executor}.
   *
   * <p>The timer is cancelled, and drops its references, as soon as {@code in} completes, so a
   * batch of thousands of requests holds no response beyond its own completion.
   * (CompletableFuture's {@code delayedExecutor} would keep every task, and what it captured,
   * queued until the timeout.)
   */
  public static <T> CompletableFuture<T> within(
      CompletableFuture<T> in,
      Duration timeout,
      Executor executor,
      Supplier<? extends Exception> expired) {
    CompletableFuture<T> timer = new CompletableFuture<>();
    in.whenComplete(
        (v, e) -> {
          if (e != null) {
            timer.completeExceptionally(e);
          } else {
            timer.complete(v);
          }
        });
    // orTimeout cancels its scheduled task when `timer` completes first.
    timer.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
    CompletableFuture<T> out = new CompletableFuture<>();
    timer.whenComplete(
        (v, e) -> {
          if (e instanceof TimeoutException) {
            in.cancel(true);
            executor.execute(() -> out.completeExceptionally(expired.get()));
          } else if (e != null) {
            out.completeExceptionally(e);
          } else {
            out.complete(v);
          }
        });
    return out;
  }
}
