package dev.ocipin.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.DigestResolver;
import dev.ocipin.TestCertificates;
import dev.ocipin.auth.CredentialChain;
import dev.ocipin.registry.RegistryException;
import dev.ocipin.registry.RequestEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The real distribution registry on loopback, as docker meets it: one over plain HTTP (an HTTPS
 * attempt, then plain HTTP, once) and one over TLS with a certificate from a private CA, trusted
 * through a {@code certs.d} directory or a CA file, and refused with a clear message otherwise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsRegistryIT {
  private final TestCertificates ca = TestCertificates.authority("ocipin IT CA");
  private Path dir;
  private RegistryServer plain;
  private RegistryServer tls;
  private Fixtures.Pushed plainRuby;
  private Fixtures.Pushed tlsRuby;

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("ocipin-it-tls");
    plain = RegistryServer.anonymous(Files.createDirectories(dir.resolve("plain")));
    plainRuby =
        Fixtures.dockerHubIndex(
            new Pusher(plain.host(), repo -> null), "library/ruby", "3.3.0-slim", "plain");
    Path[] pem =
        TestCertificates.writeServer(
            ca.server("127.0.0.1", "localhost"), dir.resolve("server-cert"));
    tls = RegistryServer.anonymousTls(Files.createDirectories(dir.resolve("tls")), pem[0], pem[1]);
    tlsRuby =
        Fixtures.dockerHubIndex(
            new Pusher(tls.host(), ca.clientContext()), "library/ruby", "3.3.0-slim", "tls");
  }

  @AfterAll
  void stop() {
    plain.close();
    tls.close();
  }

  private DigestResolver.Builder defaults(Path certsD, List<RequestEvent> events) {
    return DigestResolver.builder()
        .credentials(CredentialChain.of())
        .certsDirectories(List.of(certsD))
        .listener(events::add);
  }

  private static String schemes(List<RequestEvent> events) {
    return events.stream()
        .map(e -> e.method() + " " + e.uri().getScheme() + " " + e.status())
        .collect(Collectors.joining(", "));
  }

  @Test
  void plainRegistry_askedOnceForTls_thenPlainHttp() throws Exception {
    List<RequestEvent> events = new CopyOnWriteArrayList<>();
    try (DigestResolver r = defaults(dir.resolve("none"), events).build()) {
      String ref = plain.host() + "/library/ruby:3.3.0-slim";
      assertEquals(plainRuby.index(), r.resolveIndex(ref).digest());
      assertEquals(plainRuby.index(), r.digest(ref));
    }
    // The TLS question is asked on a connection of its own, before any exchange.
    assertEquals("GET http 200, HEAD http 200", schemes(events));
  }

  @Test
  void tlsRegistry_caInTheUsersCertsDirectory() throws Exception {
    Path certsD = dir.resolve("home/.config/containers/certs.d");
    ca.writeCa(certsD.resolve(tls.host()).resolve("ca.crt"));
    List<RequestEvent> events = new CopyOnWriteArrayList<>();
    try (DigestResolver r = defaults(certsD, events).build()) {
      String ref = tls.host() + "/library/ruby:3.3.0-slim";
      assertEquals(tlsRuby.index(), r.resolveIndex(ref).digest());
      assertEquals(tlsRuby.index(), r.digest(ref));
    }
    assertEquals("GET https 200, HEAD https 200", schemes(events));
  }

  @Test
  void tlsRegistry_caFileForEveryRegistry() throws Exception {
    Path pem = ca.writeCa(dir.resolve("corp-ca.pem"));
    List<RequestEvent> events = new CopyOnWriteArrayList<>();
    try (DigestResolver r = defaults(dir.resolve("none"), events).trustCertificates(pem).build()) {
      assertEquals(tlsRuby.index(), r.digest(tls.host() + "/library/ruby:3.3.0-slim"));
    }
    assertEquals("HEAD https 200", schemes(events));
  }

  @Test
  void tlsRegistry_untrusted_saysHowToTrustIt() throws Exception {
    List<RequestEvent> events = new CopyOnWriteArrayList<>();
    Path certsD = dir.resolve("empty-certs.d");
    try (DigestResolver r = defaults(certsD, events).build()) {
      RegistryException e =
          assertThrows(
              RegistryException.class, () -> r.digest(tls.host() + "/library/ruby:3.3.0-slim"));
      assertTrue(
          e.getMessage()
              .contains(
                  "registry "
                      + tls.host()
                      + " sent a certificate from an issuer that is not trusted; to trust it,"
                      + " put its CA certificate in "
                      + certsD.resolve(tls.host()).resolve("ca.crt")),
          e.getMessage());
    }
    assertEquals("HEAD https 0", schemes(events), "no retry, no plain HTTP");
  }

  @Test
  void tlsRegistry_namedInsecure_saysItSpeaksHttps() throws Exception {
    List<RequestEvent> events = new CopyOnWriteArrayList<>();
    try (DigestResolver r =
        defaults(dir.resolve("none"), events).insecureRegistry(tls.host()).build()) {
      RegistryException e =
          assertThrows(
              RegistryException.class, () -> r.digest(tls.host() + "/library/ruby:3.3.0-slim"));
      assertTrue(
          e.getMessage().contains("registry " + tls.host() + " speaks HTTPS"), e.getMessage());
    }
  }
}
