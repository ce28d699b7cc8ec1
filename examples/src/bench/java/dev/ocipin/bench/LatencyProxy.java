package dev.ocipin.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy on 127.0.0.1 that delays every chunk by a fixed latency in each direction, as a
 * network across an ocean would, and counts the HTTP requests that pass through it. Only ever
 * connects to a loopback target.
 */
final class LatencyProxy implements AutoCloseable {
  private static final Pattern REQUEST_LINE =
      Pattern.compile("(?m)^(GET|HEAD|POST|PUT|DELETE|PATCH) \\S+ HTTP/1\\.[01]$");

  private final ServerSocket server;
  private final int targetPort;
  private final long latencyNanos;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile boolean open = true;

  LatencyProxy(int targetPort, long latencyMillis) throws IOException {
    this.targetPort = targetPort;
    this.latencyNanos = latencyMillis * 1_000_000L;
    this.server = new ServerSocket(0, 200, InetAddress.getByName("127.0.0.1"));
    Thread accept = new Thread(this::acceptLoop, "latency-proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  int port() {
    return server.getLocalPort();
  }

  int requests() {
    return requests.get();
  }

  void reset() {
    requests.set(0);
  }

  private void acceptLoop() {
    while (open) {
      try {
        Socket client = server.accept();
        client.setTcpNoDelay(true);
        Socket upstream = new Socket();
        upstream.setTcpNoDelay(true);
        upstream.connect(
            new InetSocketAddress(InetAddress.getByName("127.0.0.1"), targetPort), 5000);
        pump(client, upstream, true);
        pump(upstream, client, false);
      } catch (IOException e) {
        if (!open) {
          return;
        }
      }
    }
  }

  private record Chunk(byte[] bytes, long due) {}

  private void pump(Socket from, Socket to, boolean countRequests) {
    BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              byte[] buffer = new byte[64 * 1024];
              StringBuilder carry = new StringBuilder();
              try (InputStream in = from.getInputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                  byte[] chunk = Arrays.copyOf(buffer, n);
                  if (countRequests) {
                    carry.append(new String(chunk, StandardCharsets.ISO_8859_1));
                    int last = carry.lastIndexOf("\n");
                    if (last >= 0) {
                      Matcher m = REQUEST_LINE.matcher(carry.substring(0, last + 1));
                      while (m.find()) {
                        requests.incrementAndGet();
                      }
                      carry.delete(0, last + 1);
                    }
                  }
                  queue.add(new Chunk(chunk, System.nanoTime() + latencyNanos));
                }
              } catch (IOException e) {
                // connection closed
              }
              queue.add(new Chunk(null, System.nanoTime() + latencyNanos));
            },
            "latency-proxy-read");
    Thread writer =
        new Thread(
            () -> {
              try (OutputStream out = to.getOutputStream()) {
                while (true) {
                  Chunk c = queue.take();
                  long wait = c.due() - System.nanoTime();
                  if (wait > 0) {
                    Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                  }
                  if (c.bytes() == null) {
                    to.shutdownOutput();
                    return;
                  }
                  out.write(c.bytes());
                  out.flush();
                }
              } catch (IOException | InterruptedException e) {
                // connection closed
              }
            },
            "latency-proxy-write");
    reader.setDaemon(true);
    writer.setDaemon(true);
    reader.start();
    writer.start();
  }

  @Override
  public void close() throws IOException {
    open = false;
    server.close();
  }
}
