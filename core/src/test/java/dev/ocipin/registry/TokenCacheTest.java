package dev.ocipin.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.auth.Credential;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TokenCacheTest {
  private static final Instant NOW = Instant.parse("2026-11-29T00:00:00Z");
  private final AtomicInteger fetches = new AtomicInteger();

  private static TokenCache.Key key(String repo) {
    return new TokenCache.Key(
        "ghcr.io",
        "https://ghcr.io/token",
        "ghcr.io",
        new TreeSet<>(List.of("repository:" + repo + ":pull")),
        Credential.anonymous());
  }

  private CompletableFuture<TokenCache.Token> fetch(String value, Duration life) {
    fetches.incrementAndGet();
    return CompletableFuture.completedFuture(
        new TokenCache.Token(value, NOW.plus(life), System.nanoTime()));
  }

  @Test
  void singleFlight_oneFetchForConcurrentAsks() {
    TokenCache cache = new TokenCache(Clock.fixed(NOW, ZoneOffset.UTC), System::nanoTime, null);
    CompletableFuture<TokenCache.Token> pending = new CompletableFuture<>();
    CompletableFuture<TokenCache.Token> a = cache.get(key("a"), false, null, () -> pending);
    CompletableFuture<TokenCache.Token> b =
        cache.get(key("a"), false, null, () -> fetch("other", Duration.ofMinutes(5)));
    assertSame(a, b);
    assertEquals(0, fetches.get());
    assertTrue(cache.usable(key("a")));
  }

  @Test
  void force_replacesOnlyTheStaleToken() {
    TokenCache cache = new TokenCache(Clock.fixed(NOW, ZoneOffset.UTC), System::nanoTime, null);
    cache.get(key("a"), false, null, () -> fetch("t1", Duration.ofMinutes(5))).join();
    // Refused with t1: a new fetch.
    assertEquals(
        "t2",
        cache.get(key("a"), true, "t1", () -> fetch("t2", Duration.ofMinutes(5))).join().value());
    // Refused with t1 again, but t2 came since: it is used.
    assertEquals(
        "t2",
        cache.get(key("a"), true, "t1", () -> fetch("t3", Duration.ofMinutes(5))).join().value());
    assertEquals(2, fetches.get());
  }

  @Test
  void tokenWithinTheRenewMargin_isFetchedAgain() {
    TokenCache cache = new TokenCache(Clock.fixed(NOW, ZoneOffset.UTC), System::nanoTime, null);
    cache.get(key("a"), false, null, () -> fetch("short", Duration.ofSeconds(5))).join();
    assertFalse(cache.usable(key("a")));
    assertEquals(
        "new",
        cache.get(key("a"), false, null, () -> fetch("new", Duration.ofMinutes(5))).join().value());
  }

  @Test
  void failedFetch_isNotKept() {
    TokenCache cache = new TokenCache(Clock.fixed(NOW, ZoneOffset.UTC), System::nanoTime, null);
    CompletableFuture<TokenCache.Token> failed =
        cache.get(
            key("a"),
            false,
            null,
            () -> CompletableFuture.failedFuture(new java.io.IOException("down")));
    assertTrue(failed.isCompletedExceptionally());
    assertEquals(0, cache.size());
  }

  @Test
  void expiredTokens_areSweptAsNewOnesComeIn() {
    DigestClock clock = new DigestClock();
    TokenCache cache = new TokenCache(clock, System::nanoTime, null);
    for (int i = 0; i < 1000; i++) {
      cache.get(key("old" + i), false, null, () -> fetch("t", Duration.ofMinutes(1))).join();
    }
    clock.now = NOW.plus(Duration.ofHours(1)); // every one of them has expired
    for (int i = 0; i < 10; i++) {
      cache.get(key("new" + i), false, null, () -> fetch("t", Duration.ofHours(2))).join();
    }
    assertTrue(cache.size() <= TokenCache.MIN_SWEEP, "the cache still holds " + cache.size());
    assertTrue(cache.usable(key("new9")));
  }

  @Test
  void offer_keepsAUsableToken_andDropsAFailedOne() {
    TokenCache cache = new TokenCache(Clock.fixed(NOW, ZoneOffset.UTC), System::nanoTime, null);
    cache.get(key("a"), false, null, () -> fetch("held", Duration.ofMinutes(5))).join();
    cache.offer(key("a"), fetch("merged", Duration.ofMinutes(5)));
    assertEquals("held", cache.get(key("a"), false, null, () -> null).join().value());
    cache.offer(key("b"), CompletableFuture.failedFuture(new java.io.IOException("x")));
    assertFalse(cache.usable(key("b")));
  }

  private static final class DigestClock extends Clock {
    Instant now = NOW;

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
