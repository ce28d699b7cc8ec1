package dev.ocipin.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FuturesTest {
  private static final Executor DIRECT = Runnable::run;

  @Test
  void within_completesWithTheValue_whenInTime() throws Exception {
    CompletableFuture<String> in = new CompletableFuture<>();
    CompletableFuture<String> out =
        Futures.within(in, Duration.ofHours(1), DIRECT, () -> new IOException("late"));
    in.complete("v");
    assertEquals("v", out.get());
  }

  @Test
  void within_passesTheFailureOn() {
    CompletableFuture<String> in = new CompletableFuture<>();
    CompletableFuture<String> out =
        Futures.within(in, Duration.ofHours(1), DIRECT, () -> new IOException("late"));
    IllegalStateException boom = new IllegalStateException("boom");
    in.completeExceptionally(boom);
    ExecutionException e = assertThrows(ExecutionException.class, out::get);
    assertSame(boom, e.getCause());
  }

  @Test
  void within_onExpiry_failsWithTheGivenException_onTheExecutor_andCancelsTheInput() {
    CompletableFuture<String> in = new CompletableFuture<>();
    AtomicInteger executed = new AtomicInteger();
    Executor counting =
        r -> {
          executed.incrementAndGet();
          r.run();
        };
    CompletableFuture<String> out =
        Futures.within(in, Duration.ofMillis(1), counting, () -> new IOException("late"));
    ExecutionException e = assertThrows(ExecutionException.class, out::get);
    assertInstanceOf(IOException.class, e.getCause());
    assertEquals("late", e.getCause().getMessage());
    assertTrue(in.isCancelled(), "the exchange is aborted");
    assertEquals(1, executed.get(), "the failure is delivered on the executor");
  }

  /**
   * A completed request's value must be collectable long before the request timeout: a batch of
   * 10,000 references must not keep 10,000 responses reachable from pending timers.
   */
  @Test
  void within_releasesTheValue_onceComplete_notWhenTheTimerWouldHaveFired() throws Exception {
    CompletableFuture<Object> in = new CompletableFuture<>();
    Futures.within(in, Duration.ofHours(1), DIRECT, () -> new IOException("late"));
    Object value = new byte[1 << 20];
    WeakReference<Object> ref = new WeakReference<>(value);
    in.complete(value);
    value = null;
    in = null;
    for (int i = 0; i < 50 && ref.get() != null; i++) {
      System.gc();
      Thread.sleep(10);
    }
    assertTrue(ref.get() == null, "a pending timer still holds the completed value");
  }

  @Test
  void after_cancelledBeforeTheGate_neverStartsNext_andLeavesTheGate() {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    AtomicInteger started = new AtomicInteger();
    CompletableFuture<String> out =
        Futures.after(
            gate,
            () -> {
              started.incrementAndGet();
              return CompletableFuture.completedFuture("x");
            });
    out.cancel(true);
    gate.complete(null);
    assertEquals(0, started.get());
    assertTrue(!gate.isCancelled());
  }

  @Test
  void after_cancelledOnceStarted_cancelsNext_andAFailedGateStillStartsIt() {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    CompletableFuture<String> next = new CompletableFuture<>();
    CompletableFuture<String> out = Futures.after(gate, () -> next);
    gate.completeExceptionally(new IOException("prefetch failed"));
    out.cancel(true);
    assertTrue(next.isCancelled());
  }
}
