package dev.ocipin.registry;

import dev.ocipin.auth.Credential;
import dev.ocipin.auth.CredentialException;
import dev.ocipin.auth.CredentialProvider;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Looks up the credential for a registry and repository, once per pair for {@value #TTL_MINUTES}
 * minutes however many requests ask at the same time. Lookups may start credential helpers, which
 * block for up to their timeout, so they run on an executor of their own (by default a small pool
 * of daemon threads), never on the common pool that the HTTP work needs.
 *
 * <p>A failed lookup is not remembered, so the next request tries again. Entries older than the
 * time to live are swept out as new ones come in, so a long-lived resolver does not grow with every
 * repository it has seen, and a rotated secret is picked up.
 *
 * <p>Thread-safe.
 */
final class CredentialLookup {
  static final int TTL_MINUTES = 5;
  private static final long TTL_NANOS = Duration.ofMinutes(TTL_MINUTES).toNanos();
  private static final int MIN_SWEEP = 64;
  private static final AtomicInteger POOLS = new AtomicInteger();

  private record Entry(CompletableFuture<Credential> credential, long startedNanos) {}

  private final CredentialProvider provider;
  private final Executor executor;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Entry> memo = new ConcurrentHashMap<>();
  private volatile int sweepAt = MIN_SWEEP;
  private volatile long lastSweepNanos;

  CredentialLookup(CredentialProvider provider, Executor executor, LongSupplier nanoTime) {
    this.provider = provider;
    this.executor = executor;
    this.nanoTime = nanoTime;
    this.lastSweepNanos = nanoTime.getAsLong();
  }

  /**
   * The default executor: up to four daemon threads, started when needed and gone after 30 s idle,
   * so a resolver holds no thread while it is not looking anything up.
   */
  static java.util.concurrent.ExecutorService defaultExecutor() {
    int id = POOLS.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            4,
            4,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "ocipin-credentials-" + id + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** Returns the credential for {@code repository} of {@code registry}; anonymous if none. */
  CompletableFuture<Credential> lookup(String registry, String repository) {
    String key = registry + "/" + repository;
    long now = nanoTime.getAsLong();
    while (true) {
      Entry e = memo.get(key);
      if (e != null && !e.credential().isCompletedExceptionally() && fresh(e, now)) {
        return e.credential();
      }
      Entry mine = new Entry(new CompletableFuture<>(), now);
      boolean won = e == null ? memo.putIfAbsent(key, mine) == null : memo.replace(key, e, mine);
      if (!won) {
        continue;
      }
      sweepIfLarge(now);
      executor.execute(
          () -> {
            try {
              mine.credential()
                  .complete(
                      provider.credentialFor(registry, repository).orElse(Credential.anonymous()));
            } catch (CredentialException | RuntimeException ex) {
              memo.remove(key, mine);
              mine.credential().completeExceptionally(ex);
            }
          });
      return mine.credential();
    }
  }

  /** Describes where the credential for a repository comes from, for error messages. */
  String describe(String registry, String repository) {
    try {
      return provider.describe(registry, repository).orElse("no credentials");
    } catch (CredentialException e) {
      return "credentials that could not be read (" + e.getMessage() + ")";
    }
  }

  /** Returns how many lookups are remembered. */
  int size() {
    return memo.size();
  }

  private static boolean fresh(Entry e, long now) {
    return now - e.startedNanos() < TTL_NANOS;
  }

  /** Sweeps when the memo has doubled since the last sweep, or a time to live has passed. */
  private void sweepIfLarge(long now) {
    if (memo.size() < sweepAt && now - lastSweepNanos < TTL_NANOS) {
      return;
    }
    lastSweepNanos = now;
    memo.forEach(
        (k, e) -> {
          if (e.credential().isDone() && !fresh(e, now)) {
            memo.remove(k, e);
          }
        });
    sweepAt = Math.max(MIN_SWEEP, 2 * memo.size());
  }
}
