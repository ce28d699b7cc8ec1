package dev.ocipin.registry;

import dev.ocipin.auth.internal.Hosts;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP client each host is reached with, built when first needed: the caller's client, or one
 * of ocipin's own; for an HTTPS host with TLS settings of its own (the caller's {@code
 * sslContext(registry, ...)}, else CA files from {@link Trust}) a client with those settings. Owns
 * the clients it built and shuts them down on {@link #close}, never the caller's.
 *
 * <p>Thread-safe.
 */
final class ClientPool {
  private final HttpClients factory;
  private final @Nullable HttpClient supplied;
  private final Map<String, SSLContext> explicit;
  private final Trust trust;
  private final ConcurrentHashMap<String, HttpClient> byHost = new ConcurrentHashMap<>();
  private final List<HttpClient> owned = new ArrayList<>();
  private @Nullable HttpClient shared;
  private @Nullable HttpClient plainOnly;
  private @Nullable ThreadPoolExecutor io;

  private static final AtomicInteger POOLS = new AtomicInteger();
  private volatile boolean closed;

  /**
   * @param supplied the caller's client, used for every host without TLS settings of its own
   * @param explicit TLS settings by registry (lower case, host[:port] as references name it)
   */
  ClientPool(
      HttpClients factory,
      @Nullable HttpClient supplied,
      Map<String, SSLContext> explicit,
      Trust trust) {
    this.factory = factory;
    this.supplied = supplied;
    this.trust = trust;
    Map<String, SSLContext> m = new java.util.HashMap<>();
    explicit.forEach(
        (registry, context) -> {
          m.put(registry, context);
          m.put(Hosts.isDockerHub(registry) ? Hosts.DOCKER_HUB_API : registry, context);
        });
    this.explicit = Map.copyOf(m);
  }

  /** The registries (and API hosts) with TLS settings given by the caller, in lower case. */
  java.util.Set<String> explicitTls() {
    return explicit.keySet();
  }

  /** How long a connection may take to open. */
  java.time.Duration connectTimeout() {
    return factory.connectTimeout();
  }

  /** The trust decisions behind this pool, for certificate failure messages. */
  Trust trust() {
    return trust;
  }

  /**
   * Returns the client for {@code uri}.
   *
   * @throws RegistryException when the host's CA files cannot be read
   */
  HttpClient client(URI uri) throws RegistryException {
    checkOpen();
    if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getAuthority() == null) {
      return plain();
    }
    String authority = uri.getAuthority().toLowerCase(Locale.ROOT);
    HttpClient c = byHost.get(authority);
    if (c != null) {
      return c;
    }
    SSLContext context = explicit.get(authority);
    if (context == null && uri.getHost() != null) {
      context = explicit.get(uri.getHost().toLowerCase(Locale.ROOT));
    }
    if (context == null) {
      context = trust.contextFor(authority).orElse(null);
    }
    if (context == null) {
      c = shared();
    } else {
      synchronized (this) {
        c = byHost.get(authority);
        if (c == null) {
          checkOpen();
          c = factory.build(Optional.of(context));
          owned.add(c);
        }
      }
    }
    HttpClient raced = byHost.putIfAbsent(authority, c);
    return raced != null ? raced : c;
  }

  /** The client for plain-HTTP requests: the caller's, else one that never sets up TLS. */
  private synchronized HttpClient plain() {
    if (supplied != null) {
      return supplied;
    }
    if (plainOnly == null) {
      checkOpen();
      plainOnly = factory.buildPlainOnly();
      owned.add(plainOnly);
    }
    return plainOnly;
  }

  /** The client for hosts without TLS settings of their own: the caller's, else built once. */
  private synchronized HttpClient shared() {
    if (supplied != null) {
      return supplied;
    }
    if (shared == null) {
      checkOpen();
      shared = factory.build(Optional.empty());
      owned.add(shared);
    }
    return shared;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this resolver (or registry client) is closed");
    }
  }

  /**
   * Sends {@code request} with the client for its host, on a thread of this pool's own that blocks
   * in {@code HttpClient.send}. Not {@code sendAsync}: the JDK client completes every async
   * response through {@code CompletableFuture}'s default executor, which on a machine with one or
   * two cores starts a new thread per response (thousands per batch, most of the client's CPU).
   * Cancelling the returned future interrupts the send.
   *
   * @throws RegistryException when the host's CA files cannot be read
   */
  <T> CompletableFuture<HttpResponse<T>> send(
      HttpRequest request, HttpResponse.BodyHandler<T> handler) throws RegistryException {
    HttpClient c = client(request.uri());
    CompletableFuture<HttpResponse<T>> f = new CompletableFuture<>();
    Future<?> task;
    try {
      task =
          io().submit(
                  () -> {
                    if (f.isDone()) {
                      return; // cancelled while queued: nothing is sent
                    }
                    try {
                      f.complete(c.send(request, handler));
                    } catch (InterruptedException e) {
                      f.completeExceptionally(
                          new InterruptedIOException("the request was cancelled"));
                    } catch (IOException | RuntimeException e) {
                      f.completeExceptionally(unwrap(e));
                    }
                  });
    } catch (RejectedExecutionException e) {
      throw new IllegalStateException("this resolver (or registry client) is closed", e);
    }
    f.whenComplete(
        (v, e) -> {
          if (f.isCancelled()) {
            task.cancel(true);
          }
        });
    return f;
  }

  /**
   * {@code HttpClient.send} rethrows an asynchronous failure as a new exception of the same class
   * (or a plain {@link IOException}) with the original as its cause; the original is what retry
   * classification and messages look at.
   */
  private static Throwable unwrap(Throwable e) {
    Throwable cause = e.getCause();
    if (cause != null && (e.getClass() == IOException.class || e.getClass() == cause.getClass())) {
      return cause;
    }
    return e;
  }

  private synchronized ThreadPoolExecutor io() {
    checkOpen();
    if (io == null) {
      int pool = POOLS.incrementAndGet();
      AtomicInteger n = new AtomicInteger();
      io =
          (ThreadPoolExecutor)
              Executors.newCachedThreadPool(
                  r -> {
                    Thread t = new Thread(r, "ocipin-http-" + pool + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                  });
    }
    return io;
  }

  /** Shuts down the clients and threads this pool built; later requests fail. */
  void close() {
    List<HttpClient> toClose;
    @Nullable ThreadPoolExecutor threads;
    synchronized (this) {
      closed = true;
      toClose = List.copyOf(owned);
      owned.clear();
      threads = io;
    }
    // Every send runs on a thread of this pool: none active means no exchange in flight.
    boolean idle = threads == null || threads.getActiveCount() == 0;
    if (threads != null) {
      threads.shutdownNow();
    }
    for (HttpClient c : toClose) {
      Resources.release(c, idle);
    }
  }

  /** The clients built so far, for tests. */
  synchronized List<HttpClient> built() {
    return List.copyOf(owned);
  }
}
