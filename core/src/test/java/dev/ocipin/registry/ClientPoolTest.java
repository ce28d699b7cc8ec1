package dev.ocipin.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientPoolTest {
  private final ClientPool pool =
      new ClientPool(
          new HttpClients(
              Duration.ofSeconds(1), Optional.empty(), Optional.empty(), Optional.empty()),
          null,
          Map.of(),
          new Trust(List.of(), List.of()));

  @Test
  void plainHttp_getsAClientThatSetsUpNoTls_httpsTheJvmsDefault() throws Exception {
    HttpClient plain = pool.client(URI.create("http://127.0.0.1:5000/v2/"));
    HttpClient tls = pool.client(URI.create("https://ghcr.io/v2/"));
    assertNotSame(plain, tls);
    assertSame(plain, pool.client(URI.create("http://10.0.0.1:5000/v2/")));
    assertSame(tls, pool.client(URI.create("https://quay.io/v2/")));
    // Built without the JVM's default context, whose trust store costs tens of ms to read.
    assertEquals("none", plain.sslContext().getProtocol());
    assertThrows(IllegalStateException.class, () -> plain.sslContext().createSSLEngine());
    assertEquals(javax.net.ssl.SSLContext.getDefault(), tls.sslContext());
    assertEquals(2, pool.built().size());
    pool.close();
    assertThrows(
        IllegalStateException.class, () -> pool.client(URI.create("https://other.example/v2/")));
  }
}
