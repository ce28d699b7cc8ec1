package dev.ocipin.internal.http;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP exchanges of one operation, so that cancelling the caller's future aborts them (the JDK
 * client aborts an exchange whose future is cancelled).
 */
public final class CancelScope {
  private final Set<CompletableFuture<?>> running = ConcurrentHashMap.newKeySet();
  private volatile boolean cancelled;

  /** Adds an exchange, cancelling it at once if the scope is cancelled already. */
  public void add(CompletableFuture<?> f) {
    running.add(f);
    f.whenComplete((v, e) -> running.remove(f));
    if (cancelled) {
      f.cancel(true);
    }
  }

  /** Aborts every exchange running now or started later. */
  public void cancel() {
    cancelled = true;
    running.forEach(f -> f.cancel(true));
  }

  /** Returns whether the scope was cancelled: no new exchange of it should start. */
  public boolean isCancelled() {
    return cancelled;
  }
}
