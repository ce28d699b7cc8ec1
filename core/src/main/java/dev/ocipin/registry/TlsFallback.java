package dev.ocipin.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Docker's rule for registries that are insecure by default (loopback): TLS first, plain HTTP when
 * the server does not speak TLS. Before the first exchange with such a registry, a TLS ClientHello
 * is sent on a connection of its own and the first byte of the answer read: a TLS record (a
 * handshake or an alert) means HTTPS; anything else (a plain server's {@code 400}), or silence
 * until the connect timeout, means plain HTTP. This costs one connection and no TLS setup (no trust
 * store read, no key generated), so a plain-HTTP registry never pays for TLS. The outcome is
 * remembered per host for the client's life; exchanges that start meanwhile wait for it. A server
 * that cannot be reached teaches nothing: the exchange fails as usual and the next one asks again.
 *
 * <p>Thread-safe.
 */
final class TlsFallback {
  private static final int TLS_HANDSHAKE = 0x16;
  private static final int TLS_ALERT = 0x15;

  /** A TLS 1.2 ClientHello that any TLS server answers with a handshake record or an alert. */
  private static final byte[] CLIENT_HELLO = clientHello();

  /** Per host: whether it is reached over plain HTTP, once known. */
  private final ConcurrentHashMap<String, CompletableFuture<Boolean>> outcomes =
      new ConcurrentHashMap<>();

  private final Duration timeout;
  private final Executor executor;

  TlsFallback(Duration timeout, Executor executor) {
    this.timeout = timeout;
    this.executor = executor;
  }

  /** Returns {@code e} with its scheme settled, when the outcome for its host is known. */
  Endpoint settled(Endpoint e) {
    if (!e.tlsFallback()) {
      return e;
    }
    CompletableFuture<Boolean> known = outcomes.get(e.host());
    if (known == null || !known.isDone() || known.isCompletedExceptionally()) {
      return e;
    }
    return known.join() ? e.overPlainHttp() : e.overHttps();
  }

  /** Runs {@code exchange} with {@code e}'s scheme settled, asking the server first if need be. */
  <T> CompletableFuture<T> run(Endpoint e, Function<Endpoint, CompletableFuture<T>> exchange) {
    if (!e.tlsFallback()) {
      return exchange.apply(e);
    }
    CompletableFuture<Boolean> mine = new CompletableFuture<>();
    CompletableFuture<Boolean> known = outcomes.putIfAbsent(e.host(), mine);
    if (known == null) {
      known = mine;
      CompletableFuture.runAsync(
          () -> {
            try {
              mine.complete(speaksPlainHttp(e.host()));
            } catch (IOException | RuntimeException ex) {
              outcomes.remove(e.host(), mine); // nothing learned: the next exchange asks again
              mine.completeExceptionally(ex);
            }
          },
          executor);
    }
    return known.thenCompose(plain -> exchange.apply(plain ? e.overPlainHttp() : e.overHttps()));
  }

  /**
   * Sends the ClientHello to {@code hostAndPort} and reads the first byte of the answer.
   *
   * @throws ConnectException when nothing listens there, as a failed exchange would
   */
  private boolean speaksPlainHttp(String hostAndPort) throws IOException {
    String host = Endpoint.hostname(hostAndPort);
    int port = Endpoint.port(hostAndPort, 443);
    int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    try (Socket s = new Socket()) {
      try {
        s.connect(new InetSocketAddress(host, port), millis);
      } catch (SocketTimeoutException ex) {
        throw new java.net.http.HttpConnectTimeoutException(
            "connecting to " + hostAndPort + " timed out");
      }
      int first;
      try {
        s.setSoTimeout(millis);
        OutputStream out = s.getOutputStream();
        out.write(CLIENT_HELLO);
        out.flush();
        InputStream in = s.getInputStream();
        first = in.read();
      } catch (SocketTimeoutException silent) {
        return true; // a plain server waiting for the rest of a request line
      } catch (IOException hungUp) {
        return true; // a plain server that hung up on bytes it could not parse
      }
      return first != TLS_HANDSHAKE && first != TLS_ALERT;
    }
  }

  private static byte[] clientHello() {
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    body.write(0x03);
    body.write(0x03); // TLS 1.2
    byte[] random = new byte[32];
    // A probe, never a session: no secret depends on it, and no SecureRandom is seeded for it.
    java.util.concurrent.ThreadLocalRandom.current().nextBytes(random);
    body.writeBytes(random);
    body.write(0); // no session id
    int[] suites = {0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0x009c, 0x1301, 0x1302};
    u16(body, suites.length * 2);
    for (int s : suites) {
      u16(body, s);
    }
    body.write(1);
    body.write(0); // null compression
    java.io.ByteArrayOutputStream ext = new java.io.ByteArrayOutputStream();
    u16(ext, 0x000a); // supported_groups: x25519, secp256r1, secp384r1
    u16(ext, 8);
    u16(ext, 6);
    u16(ext, 0x001d);
    u16(ext, 0x0017);
    u16(ext, 0x0018);
    u16(ext, 0x000b); // ec_point_formats: uncompressed
    u16(ext, 2);
    ext.write(1);
    ext.write(0);
    u16(ext, 0x000d); // signature_algorithms
    int[] sigs = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601};
    u16(ext, sigs.length * 2 + 2);
    u16(ext, sigs.length * 2);
    for (int s : sigs) {
      u16(ext, s);
    }
    u16(body, ext.size());
    body.writeBytes(ext.toByteArray());
    byte[] hello = body.toByteArray();
    java.io.ByteArrayOutputStream record = new java.io.ByteArrayOutputStream();
    record.write(TLS_HANDSHAKE);
    record.write(0x03);
    record.write(0x01);
    u16(record, hello.length + 4);
    record.write(0x01); // ClientHello
    record.write(0);
    u16(record, hello.length);
    record.writeBytes(hello);
    return record.toByteArray();
  }

  private static void u16(java.io.ByteArrayOutputStream out, int v) {
    out.write((v >> 8) & 0xff);
    out.write(v & 0xff);
  }
}
