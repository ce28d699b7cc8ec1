package dev.ocipin.registry;

import java.lang.reflect.Method;
import java.net.http.HttpClient;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a client built for itself and must release when closed: the HTTP clients ocipin created
 * (never one the caller supplied) and the credential-lookup threads. On JDK 21 and later an {@code
 * HttpClient} is shut down at once ({@code shutdownNow()}, found by reflection so that the code
 * still targets release 17); on JDK 17 its selector thread ends when the client is collected.
 *
 * <p>Thread-safe.
 */
final class Resources {
  private final ClientPool clients;
  private final Optional<ExecutorService> ownedExecutor;
  private final AtomicBoolean closed = new AtomicBoolean();

  Resources(ClientPool clients, Optional<ExecutorService> ownedExecutor) {
    this.clients = clients;
    this.ownedExecutor = ownedExecutor;
  }

  /** Throws when closed, so a closed client fails clearly instead of half-working. */
  void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("this resolver (or registry client) is closed");
    }
  }

  /** Returns whether {@link #close} was called. */
  boolean isClosed() {
    return closed.get();
  }

  /** Releases what this client owns; later calls do nothing. */
  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ownedExecutor.ifPresent(ExecutorService::shutdownNow);
    clients.close();
  }

  /**
   * Releases {@code client} at once where the JDK can (21 and later): an {@code idle} one through
   * {@code AutoCloseable.close()}, which then returns at once and, being an interface call, spins
   * no method handles as reflection does; a busy one through {@code shutdownNow()}, since close()
   * would wait for its exchanges.
   */
  static void release(HttpClient client, boolean idle) {
    if (idle && client instanceof AutoCloseable) {
      try {
        ((AutoCloseable) client).close();
        return;
      } catch (Exception e) {
        // fall through to shutdownNow
      }
    }
    shutdownNow(client);
  }

  /** {@code HttpClient.shutdownNow()} where the JDK has it (21 and later). */
  private static boolean shutdownNow(HttpClient client) {
    try {
      Method m = HttpClient.class.getMethod("shutdownNow");
      m.invoke(client);
      return true;
    } catch (NoSuchMethodException e) {
      return false; // JDK 17 to 20: the client's thread ends when it is collected
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}
