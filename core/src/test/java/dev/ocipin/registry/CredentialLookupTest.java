package dev.ocipin.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.auth.Credential;
import dev.ocipin.auth.CredentialException;
import dev.ocipin.auth.CredentialProvider;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CredentialLookupTest {
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicLong nanos = new AtomicLong();

  private final CredentialProvider provider =
      (registry, repository) -> {
        calls.incrementAndGet();
        if (repository.equals("broken")) {
          throw new CredentialException("helper failed");
        }
        return Optional.of(Credential.basic("u", "p" + calls.get()));
      };

  private CredentialLookup lookup() {
    return new CredentialLookup(provider, Runnable::run, nanos::get);
  }

  @Test
  void oncePerRepository_withinTheTimeToLive() {
    CredentialLookup lookup = lookup();
    CompletableFuture<Credential> a = lookup.lookup("ghcr.io", "app");
    assertSame(a, lookup.lookup("ghcr.io", "app"));
    lookup.lookup("ghcr.io", "other");
    assertEquals(2, calls.get());
  }

  @Test
  void afterTheTimeToLive_looksUpAgain() {
    CredentialLookup lookup = lookup();
    lookup.lookup("ghcr.io", "app");
    nanos.addAndGet(Duration.ofMinutes(CredentialLookup.TTL_MINUTES).toNanos());
    lookup.lookup("ghcr.io", "app");
    assertEquals(2, calls.get());
  }

  @Test
  void failure_isNotRemembered() {
    CredentialLookup lookup = lookup();
    assertTrue(lookup.lookup("ghcr.io", "broken").isCompletedExceptionally());
    assertTrue(lookup.lookup("ghcr.io", "broken").isCompletedExceptionally());
    assertEquals(2, calls.get());
    assertEquals(0, lookup.size());
  }

  @Test
  void expiredEntries_areSwept() {
    CredentialLookup lookup = lookup();
    for (int i = 0; i < 500; i++) {
      lookup.lookup("ghcr.io", "repo" + i);
    }
    nanos.addAndGet(Duration.ofHours(1).toNanos());
    for (int i = 0; i < 100; i++) {
      lookup.lookup("ghcr.io", "new" + i);
    }
    assertTrue(lookup.size() <= 128, "still remembers " + lookup.size());
  }

  @Test
  void defaultExecutor_runsOnDaemonThreadsOfItsOwn() throws Exception {
    CredentialLookup lookup =
        new CredentialLookup(
            (r, repo) -> {
              Thread t = Thread.currentThread();
              return Optional.of(
                  Credential.basic(t.getName() + (t.isDaemon() ? " daemon" : ""), "p"));
            },
            CredentialLookup.defaultExecutor(),
            System::nanoTime);
    Credential c = lookup.lookup("ghcr.io", "app").get();
    String user = ((Credential.Basic) c).username();
    assertTrue(user.startsWith("ocipin-credentials-") && user.endsWith(" daemon"), user);
  }
}
