package dev.ocipin.registry;

import dev.ocipin.auth.Credential;
import dev.ocipin.internal.http.Futures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Pull tokens by registry, realm, service, scopes and credential, each fetched once however many
 * requests want it at the same time (single flight), used until {@value #RENEW_MARGIN_SECONDS} s
 * before it expires, and, with a token cache file, kept between runs.
 *
 * <p>Expired and failed entries are swept out as new ones come in, so a resolver that lives as long
 * as a build daemon does not grow with every repository it has ever seen: the map holds at most
 * about twice the tokens that are still valid, and never fewer than {@value #MIN_SWEEP}.
 *
 * <p>Thread-safe.
 */
final class TokenCache {
  static final int RENEW_MARGIN_SECONDS = 10;
  static final int MIN_SWEEP = 64;
  private static final Duration RENEW_MARGIN = Duration.ofSeconds(RENEW_MARGIN_SECONDS);
  private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);

  /**
   * A token; {@code fetchedAtNanos} says when it arrived, so a 401 with a token fetched after the
   * request started is final, while one with an older token earns one fresh fetch.
   */
  record Token(String value, Instant expires, long fetchedAtNanos) {}

  /** What a token is for: the registry whose challenge named the realm, and what was asked. */
  record Key(
      String registry,
      String realm,
      String service,
      SortedSet<String> scopes,
      Credential credential) {
    String scopeText() {
      return String.join(" ", scopes);
    }
  }

  private final ConcurrentHashMap<Key, CompletableFuture<Token>> tokens = new ConcurrentHashMap<>();
  private final Clock clock;
  private final LongSupplier ticker;
  private final @Nullable TokenCacheFile file;
  private volatile int sweepAt = MIN_SWEEP;
  private volatile Instant nextSweep = Instant.MIN;

  TokenCache(Clock clock, LongSupplier ticker, @Nullable TokenCacheFile file) {
    this.clock = clock;
    this.ticker = ticker;
    this.file = file;
  }

  /** Whether a token for {@code key} is being fetched, or is held and not about to expire. */
  boolean usable(Key key) {
    return usable(tokens.get(key));
  }

  private boolean usable(@Nullable CompletableFuture<Token> f) {
    return f != null && (!f.isDone() || (!f.isCompletedExceptionally() && isValid(f.join())));
  }

  private boolean isValid(Token t) {
    return clock.instant().isBefore(t.expires().minus(RENEW_MARGIN));
  }

  /**
   * Returns the token for {@code key}: the one in flight or held, else one saved by an earlier run,
   * else a new one from {@code fetch}. With {@code force}, a held token is not used if it is {@code
   * stale} (the one a registry just refused), though one that another request has fetched since is;
   * a saved one is never used either.
   */
  CompletableFuture<Token> get(
      Key key, boolean force, @Nullable String stale, Supplier<CompletableFuture<Token>> fetch) {
    while (true) {
      CompletableFuture<Token> existing = tokens.get(key);
      if (existing != null) {
        if (!existing.isDone()) {
          return existing;
        }
        if (!existing.isCompletedExceptionally()) {
          Token t = existing.join();
          boolean replacedByOther = force && !t.value().equals(stale);
          if ((!force || replacedByOther) && isValid(t)) {
            return existing;
          }
        }
      }
      CompletableFuture<Token> mine = new CompletableFuture<>();
      boolean won =
          existing == null
              ? tokens.putIfAbsent(key, mine) == null
              : tokens.replace(key, existing, mine);
      if (!won) {
        continue; // another request got there first: use what it put
      }
      sweepIfLarge();
      Optional<TokenCacheFile.Saved> saved = force ? Optional.empty() : saved(key);
      if (saved.isPresent()) {
        // From an earlier run, so fetched before any request of this one: a 401 with it still
        // earns a fresh token.
        mine.complete(
            new Token(
                saved.get().value(),
                saved.get().expires(),
                ticker.getAsLong() - TimeUnit.DAYS.toNanos(1)));
        return mine;
      }
      fetch
          .get()
          .whenComplete(
              (t, e) -> {
                if (e != null) {
                  tokens.remove(key, mine);
                  mine.completeExceptionally(Futures.unwrap(e));
                } else {
                  save(key, t);
                  mine.complete(t);
                }
              });
      return mine;
    }
  }

  /**
   * Files {@code pending} (a token fetched for several scopes at once) under {@code key}, unless a
   * usable one is there already; it is dropped again if it fails.
   */
  void offer(Key key, CompletableFuture<Token> pending) {
    tokens.compute(key, (k, old) -> usable(old) ? old : pending);
    sweepIfLarge();
    pending.whenComplete(
        (t, e) -> {
          if (e != null) {
            tokens.remove(key, pending);
          } else {
            save(key, t);
          }
        });
  }

  /** Returns how many tokens are held or in flight. */
  int size() {
    return tokens.size();
  }

  private Optional<TokenCacheFile.Saved> saved(Key key) {
    return file == null ? Optional.empty() : file.token(id(file, key));
  }

  private void save(Key key, Token t) {
    if (file != null) {
      file.token(id(file, key), t.value(), t.expires());
    }
  }

  private static String id(TokenCacheFile file, Key key) {
    return file.id(key.registry(), key.realm(), key.service(), key.scopeText(), key.credential());
  }

  /**
   * Drops failed and expired tokens once the map has doubled since the last sweep, or a minute has
   * passed, so what expired while nothing new came in goes with the next insertion.
   */
  private void sweepIfLarge() {
    Instant now = clock.instant();
    if (tokens.size() < sweepAt && now.isBefore(nextSweep)) {
      return;
    }
    nextSweep = now.plus(SWEEP_INTERVAL);
    tokens.forEach(
        (k, f) -> {
          if (f.isDone() && !usable(f)) {
            tokens.remove(k, f);
          }
        });
    sweepAt = Math.max(MIN_SWEEP, 2 * tokens.size());
  }
}
