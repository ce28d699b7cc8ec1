package dev.ocipin.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The retry loop, with a fake ticker and no jitter, so nothing here sleeps for long. */
class RetrierTest {
  private record Answer(int status, Optional<String> retryAfter) {}

  private final AtomicLong ticker = new AtomicLong();
  private final AtomicInteger sent = new AtomicInteger();

  private Retrier<Answer> retrier(int attempts, Duration maxRetryAfter) {
    return new Retrier<>(
        new RetryPolicy(attempts, Duration.ofNanos(1), maxRetryAfter, Duration.ofMinutes(2)),
        e -> e instanceof IOException,
        Answer::status,
        Answer::retryAfter,
        Runnable::run,
        Clock.fixed(Instant.parse("2026-11-29T00:00:00Z"), ZoneOffset.UTC),
        ticker::get,
        () -> 0L);
  }

  private CompletableFuture<Answer> script(Deque<Object> answers) {
    sent.incrementAndGet();
    Object next = answers.poll();
    return next instanceof Throwable
        ? CompletableFuture.failedFuture((Throwable) next)
        : CompletableFuture.completedFuture((Answer) next);
  }

  private static Deque<Object> of(Object... answers) {
    return new ArrayDeque<>(java.util.List.of(answers));
  }

  @Test
  void transientStatus_isRetried_untilItSucceeds() {
    Deque<Object> answers =
        of(new Answer(503, Optional.empty()), new Answer(200, Optional.empty()));
    Retrier<Answer> r = retrier(4, Duration.ofSeconds(30));
    assertEquals(200, r.run("GET", () -> script(answers), r.deadlineFromNow()).join().status());
    assertEquals(2, sent.get());
  }

  @Test
  void post_isNeverRetried() {
    Deque<Object> answers =
        of(new Answer(503, Optional.empty()), new Answer(200, Optional.empty()));
    Retrier<Answer> r = retrier(4, Duration.ofSeconds(30));
    assertEquals(503, r.run("POST", () -> script(answers), r.deadlineFromNow()).join().status());
    assertEquals(1, sent.get());
  }

  @Test
  void lastAnswer_isReturned_whenAttemptsRunOut() {
    Deque<Object> answers =
        of(new Answer(500, Optional.empty()), new Answer(502, Optional.empty()));
    Retrier<Answer> r = retrier(2, Duration.ofSeconds(30));
    assertEquals(502, r.run("HEAD", () -> script(answers), r.deadlineFromNow()).join().status());
    assertEquals(2, sent.get());
  }

  @Test
  void retryAfterPastTheCap_returnsTheAnswerAtOnce() {
    Deque<Object> answers = of(new Answer(429, Optional.of("3600")));
    Retrier<Answer> r = retrier(4, Duration.ofSeconds(30));
    assertEquals(429, r.run("GET", () -> script(answers), r.deadlineFromNow()).join().status());
    assertEquals(1, sent.get());
  }

  @Test
  void failureNotWorthRetrying_failsAtOnce() {
    Deque<Object> answers = of(new IllegalStateException("ours"));
    Retrier<Answer> r = retrier(4, Duration.ofSeconds(30));
    CompletionException e =
        assertThrows(
            CompletionException.class,
            () -> r.run("GET", () -> script(answers), r.deadlineFromNow()).join());
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertEquals(1, sent.get());
  }

  @Test
  void pastTheDeadline_noMoreAttempts() {
    Deque<Object> answers = of(new IOException("reset"), new Answer(200, Optional.empty()));
    Retrier<Answer> r = retrier(4, Duration.ofSeconds(30));
    long deadline = r.deadlineFromNow();
    ticker.addAndGet(Duration.ofMinutes(3).toNanos()); // the operation has run out of time
    assertThrows(
        CompletionException.class, () -> r.run("GET", () -> script(answers), deadline).join());
    assertEquals(1, sent.get());
  }
}
