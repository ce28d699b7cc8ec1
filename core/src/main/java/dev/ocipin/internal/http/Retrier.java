package dev.ocipin.internal.http;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.random.RandomGenerator;

/**
 * Runs an exchange under a {@link RetryPolicy}, scheduling each retry on the executor rather than
 * holding a thread, as Apache HttpClient's async retry exec does. The last response is returned as
 * is when attempts, the {@code Retry-After} cap or the deadline run out, so the caller reports what
 * the server said; the last failure likewise.
 *
 * <p>Monotonic time comes from an injected ticker and jitter from an injected random generator, so
 * tests control both. Thread-safe.
 *
 * @param <R> the response type
 */
public final class Retrier<R> {
  private final RetryPolicy policy;
  private final Predicate<Throwable> retryableFailure;
  private final ToIntFunction<R> status;
  private final Function<R, Optional<String>> retryAfter;
  private final Executor executor;
  private final Clock clock;
  private final LongSupplier ticker;
  private final RandomGenerator random;

  /**
   * Creates a retrier.
   *
   * @param retryableFailure which failures are worth another try
   * @param status a response's status
   * @param retryAfter a response's {@code Retry-After} header
   */
  public Retrier(
      RetryPolicy policy,
      Predicate<Throwable> retryableFailure,
      ToIntFunction<R> status,
      Function<R, Optional<String>> retryAfter,
      Executor executor,
      Clock clock,
      LongSupplier ticker,
      RandomGenerator random) {
    this.policy = policy;
    this.retryableFailure = retryableFailure;
    this.status = status;
    this.retryAfter = retryAfter;
    this.executor = executor;
    this.clock = clock;
    this.ticker = ticker;
    this.random = random;
  }

  /** Returns the ticker reading at which an operation starting now must stop retrying. */
  public long deadlineFromNow() {
    return ticker.getAsLong() + policy.deadline().toNanos();
  }

  /**
   * Runs {@code exchange}, again while it fails or answers in a way worth retrying, if {@code
   * method} is idempotent.
   */
  public CompletableFuture<R> run(
      String method, Supplier<CompletableFuture<R>> exchange, long deadline) {
    return run(RetryPolicy.idempotent(method), exchange, deadline, 1);
  }

  private CompletableFuture<R> run(
      boolean idempotent, Supplier<CompletableFuture<R>> exchange, long deadline, int attempt) {
    return exchange
        .get()
        .handle(
            (resp, e) -> {
              boolean more = idempotent && attempt < policy.maxAttempts();
              if (e != null) {
                Throwable cause = Futures.unwrap(e);
                if (!more || !retryableFailure.test(cause)) {
                  return CompletableFuture.<R>failedFuture(cause);
                }
                return later(
                    policy.backoff(attempt, random),
                    deadline,
                    idempotent,
                    exchange,
                    attempt,
                    () -> CompletableFuture.failedFuture(cause));
              }
              if (!more || !policy.retryable(status.applyAsInt(resp))) {
                return CompletableFuture.completedFuture(resp);
              }
              Optional<Duration> asked =
                  RetryPolicy.retryAfter(retryAfter.apply(resp).orElse(null), clock);
              if (asked.isPresent() && asked.get().compareTo(policy.maxRetryAfter()) > 0) {
                return CompletableFuture.completedFuture(resp); // the caller reports the wait
              }
              return later(
                  asked.orElse(policy.backoff(attempt, random)),
                  deadline,
                  idempotent,
                  exchange,
                  attempt,
                  () -> CompletableFuture.completedFuture(resp));
            })
        .thenCompose(f -> f);
  }

  private CompletableFuture<R> later(
      Duration wait,
      long deadline,
      boolean idempotent,
      Supplier<CompletableFuture<R>> exchange,
      int attempt,
      Supplier<CompletableFuture<R>> giveUp) {
    if (ticker.getAsLong() + wait.toNanos() >= deadline) {
      return giveUp.get();
    }
    Executor delayed =
        CompletableFuture.delayedExecutor(wait.toNanos(), TimeUnit.NANOSECONDS, executor);
    return CompletableFuture.supplyAsync(() -> null, delayed)
        .thenCompose(v -> run(idempotent, exchange, deadline, attempt + 1));
  }
}
