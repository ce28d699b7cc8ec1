package dev.ocipin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback front for a plain-HTTP MockWebServer that meets a TLS ClientHello as Go's net/http
 * server (the distribution registry, Harbor) does: at once, with {@code 400 Bad Request}; or, when
 * made {@link #silent}, as a server that waits for a request line and never answers. It counts such
 * attempts. Everything else is relayed byte for byte.
 */
final class GoLikeFront implements AutoCloseable {
  private static final byte TLS_HANDSHAKE = 0x16;

  private final ServerSocket socket;
  private final int target;
  private final AtomicInteger tlsAttempts = new AtomicInteger();
  private final boolean silent;

  GoLikeFront(int targetPort) throws IOException {
    this(targetPort, false);
  }

  private GoLikeFront(int targetPort, boolean silent) throws IOException {
    this.target = targetPort;
    this.silent = silent;
    this.socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    Thread t = new Thread(this::accept, "go-like-front");
    t.setDaemon(true);
    t.start();
  }

  /** A front that never answers a ClientHello. */
  static GoLikeFront silent(int targetPort) throws IOException {
    return new GoLikeFront(targetPort, true);
  }

  /** host:port, as a registry in a reference. */
  String host() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  /** How many connections opened with a TLS handshake. */
  int tlsAttempts() {
    return tlsAttempts.get();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        Thread t = new Thread(() -> serve(client), "go-like-front-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      PushbackInputStream in = new PushbackInputStream(client.getInputStream(), 1);
      int first = in.read();
      if (first < 0) {
        return;
      }
      if (first == TLS_HANDSHAKE) {
        tlsAttempts.incrementAndGet();
        if (silent) {
          in.transferTo(OutputStream.nullOutputStream());
          return;
        }
        client
            .getOutputStream()
            .write(
                ("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
                        + "Connection: close\r\n\r\n400 Bad Request")
                    .getBytes(StandardCharsets.US_ASCII));
        client.getOutputStream().flush();
        // Go closes here too; waiting for the client to hang up first keeps the JDK client from
        // taking the close for a stale connection and opening a second one on its own.
        in.transferTo(OutputStream.nullOutputStream());
        return;
      }
      in.unread(first);
      try (Socket upstream = new Socket(InetAddress.getByName("127.0.0.1"), target)) {
        Thread back = new Thread(() -> pump(upstream, client), "go-like-front-back");
        back.setDaemon(true);
        back.start();
        pump(in, upstream.getOutputStream());
        back.join(5000);
      }
    } catch (IOException | InterruptedException e) {
      // the peer went away
    }
  }

  private static void pump(Socket from, Socket to) {
    try {
      pump(from.getInputStream(), to.getOutputStream());
    } catch (IOException e) {
      // closed
    }
  }

  private static void pump(InputStream in, OutputStream out) {
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // closed
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
