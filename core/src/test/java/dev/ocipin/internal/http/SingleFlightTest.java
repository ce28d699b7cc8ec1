package dev.ocipin.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SingleFlightTest {
  private final SingleFlight<String> flight = new SingleFlight<>();
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicReference<CancelScope> scope = new AtomicReference<>();
  private final CompletableFuture<String> pending = new CompletableFuture<>();

  private CompletableFuture<String> call(CancelScope s) {
    started.incrementAndGet();
    scope.set(s);
    return pending;
  }

  @Test
  void concurrentCallers_shareOneOperation_eachWithItsOwnFuture() {
    CompletableFuture<String> a = flight.join("k", this::call);
    CompletableFuture<String> b = flight.join("k", this::call);
    assertEquals(1, started.get());
    pending.complete("v");
    assertEquals("v", a.join());
    assertEquals("v", b.join());
    assertEquals(0, flight.size());
  }

  @Test
  void oneCallerCancelling_leavesTheOther() {
    CompletableFuture<String> a = flight.join("k", this::call);
    CompletableFuture<String> b = flight.join("k", this::call);
    a.cancel(true);
    assertFalse(scope.get().isCancelled());
    pending.complete("v");
    assertEquals("v", b.join());
  }

  @Test
  void everyCallerCancelling_cancelsTheScope() {
    CompletableFuture<String> a = flight.join("k", this::call);
    CompletableFuture<String> b = flight.join("k", this::call);
    a.cancel(true);
    b.cancel(true);
    assertTrue(scope.get().isCancelled());
  }

  @Test
  void afterCompletion_aNewCallStartsAgain() {
    flight.join("k", this::call);
    pending.complete("v");
    flight.join("k", s -> CompletableFuture.completedFuture("w"));
    assertEquals(1, started.get());
  }
}
