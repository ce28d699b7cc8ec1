package dev.ocipin.internal.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/** Composes futures so that cancelling the result cancels the step it is waiting on. */
public final class Futures {
  private Futures() {}

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
}
