package dev.ocipin.maven;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A corporate HTTP proxy on 127.0.0.1 that wants Basic credentials: a request without the expected
 * {@code Proxy-Authorization} gets a {@code 407}; one with it is forwarded, whatever host it names,
 * to the one server behind the proxy (so that a registry named {@code registry.corp.test} is never
 * looked up), one request per connection. It records what it was asked, and how.
 */
final class AuthProxy implements AutoCloseable {
  private final ServerSocket socket;
  private final String expected;
  private final int backendPort;
  private final List<String> seen = new CopyOnWriteArrayList<>();

  AuthProxy(String proxyAuthorization, int backendPort) throws IOException {
    this.socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    this.expected = proxyAuthorization;
    this.backendPort = backendPort;
    Thread t = new Thread(this::serve, "auth-proxy");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  /** Each request as {@code 407 GET http://...} or {@code forwarded GET http://...}. */
  List<String> seen() {
    return List.copyOf(seen);
  }

  private void serve() {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        Thread t = new Thread(() -> handle(client), "auth-proxy-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void handle(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      List<String> head = readHead(in);
      if (head.isEmpty()) {
        return;
      }
      String[] line = head.get(0).split(" ", 3);
      String auth = null;
      int length = 0;
      List<String> forward = new ArrayList<>();
      for (String h : head.subList(1, head.size())) {
        String name = h.substring(0, Math.max(0, h.indexOf(':'))).strip().toLowerCase(Locale.ROOT);
        String value = h.substring(h.indexOf(':') + 1).strip();
        if (name.equals("proxy-authorization")) {
          auth = value;
        } else if (name.equals("content-length")) {
          length = Integer.parseInt(value);
          forward.add(h);
        } else if (!name.equals("connection") && !name.startsWith("proxy-")) {
          forward.add(h);
        }
      }
      OutputStream out = client.getOutputStream();
      if (!expected.equals(auth)) {
        seen.add("407 " + line[0] + " " + line[1]);
        out.write(
            ("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic"
                    + " realm=\"corp\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return;
      }
      seen.add("forwarded " + line[0] + " " + line[1]);
      URI target = URI.create(line[1]);
      String path =
          target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
      byte[] body = in.readNBytes(length);
      try (Socket backend = new Socket(InetAddress.getByName("127.0.0.1"), backendPort)) {
        OutputStream b = backend.getOutputStream();
        StringBuilder req = new StringBuilder(line[0] + " " + path + " HTTP/1.1\r\n");
        forward.forEach(h -> req.append(h).append("\r\n"));
        req.append("Connection: close\r\n\r\n");
        b.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
        b.write(body);
        b.flush();
        // The response, to the backend's end of it; Connection: close tells the client so too.
        backend.getInputStream().transferTo(out);
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      seen.add("broken: " + e);
    }
  }

  private static List<String> readHead(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        String l = line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
        if (l.isEmpty()) {
          return lines;
        }
        lines.add(l);
        line.reset();
      } else {
        line.write(c);
      }
    }
    return lines;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
