package dev.ocipin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.auth.CredentialChain;
import dev.ocipin.registry.RegistryException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** What is not worth a second try is tried once, with the default of 4 attempts. */
class RetryClassificationTest {
  /** A plain HTTP server where TLS is expected: every handshake fails the same way. */
  @Test
  void tlsHandshakeFailure_isNotRetried() throws Exception {
    AtomicInteger accepted = new AtomicInteger();
    java.util.List<dev.ocipin.registry.RequestEvent> events =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Thread t =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try (Socket s = server.accept()) {
                    accepted.incrementAndGet();
                    // Read the ClientHello first and close gently, as a plain HTTP server does,
                    // so the client sees an answer that is not TLS, never a reset connection
                    // (which would be a transient failure, and rightly retried).
                    s.getInputStream().read(new byte[4096]);
                    OutputStream out = s.getOutputStream();
                    out.write(
                        "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    // No FIN before the client gives up: a close the JDK client sees first
                    // is an expired connection, which it retries once on its own.
                    s.getInputStream().transferTo(OutputStream.nullOutputStream());
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      t.setDaemon(true);
      t.start();
      String registry = "127.0.0.1:" + server.getLocalPort();
      DigestResolver resolver =
          TestResolvers.plainHttp()
              .credentials(CredentialChain.of())
              .sslContext(registry, SSLContext.getDefault())
              .retryBaseDelay(Duration.ofMillis(1))
              .listener(events::add)
              .build();

      RegistryException e =
          assertThrows(RegistryException.class, () -> resolver.digest(registry + "/app:1"));
      assertTrue(e.getMessage().startsWith("HEAD manifest " + registry + "/app:1"), e.getMessage());
      assertEquals(1, events.size(), "TLS failures must not be retried: " + events);
      // The JDK client itself may open a second connection once, when it takes the server's
      // answer for a connection closed under it; ocipin's 4 attempts would open 4 or more.
      assertTrue(accepted.get() <= 2, accepted + " connections");
    }
  }
}
