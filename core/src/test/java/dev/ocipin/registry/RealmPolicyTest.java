package dev.ocipin.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.internal.http.Secrets;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where a registry may send clients for tokens. No request is made: these are decisions only. */
class RealmPolicyTest {
  private static final Set<String> NONE = Set.of();

  @ParameterizedTest(name = "{0} -> {1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // registry          | realm                                  | refused because (empty:
        // allowed)
        "docker.io           | https://auth.docker.io/token           | ''",
        "ghcr.io             | https://ghcr.io/token                  | ''",
        "ghcr.io             | http://ghcr.io/token                   | plain-HTTP token realm",
        "ghcr.io             | https://127.0.0.1/token                | local or private address",
        "ghcr.io             | https://localhost:5001/token           | local or private address",
        "ghcr.io             | https://169.254.169.254/latest/meta    | local or private address",
        "ghcr.io             | https://10.0.0.8/token                 | local or private address",
        "ghcr.io             | https://192.168.1.10/token             | local or private address",
        "ghcr.io             | https://172.16.5.4/token               | local or private address",
        "ghcr.io             | https://[::1]/token                    | local or private address",
        "ghcr.io             | https://[fd00::1]/token                | local or private address",
        "ghcr.io             | https://[fe80::1]/token                | local or private address",
        "ghcr.io             | ftp://ghcr.io/token                    | not an http(s) URL",
        "ghcr.io             | not a url                              | not a URL",
        "ghcr.io             | https://localhost./token               | local or private address",
        "ghcr.io             | https://auth.localhost/token           | local or private address",
        "ghcr.io             | https://metadata.google.internal/x     | local or private address",
        "ghcr.io             | https://printer.local/token            | local or private address",
        "ghcr.io             | https://tokenserver/token              | local or private address",
        "ghcr.io             | https://[::ffff:127.0.0.1]/token       | local or private address",
        "ghcr.io             | https://0x7f000001/token               | local or private address",
        "ghcr.io             | https://2130706433/token               | local or private address",
        "ghcr.io             | https://127.1/token                    | not an http(s) URL",
        "ghcr.io             | https://auth.example.internal./token   | local or private address",
        "ghcr.io             | https://token.internal.example.com/t   | ''",
        "localhost:5000      | http://127.0.0.1:5001/token            | ''",
        "127.0.0.1:5000      | http://localhost:9999/token            | ''",
      })
  void realmPolicy(String registry, String realm, String refused) {
    Endpoint endpoint = Endpoint.of(registry, NONE, NONE);
    if (endpoint.tlsFallback()) {
      endpoint = endpoint.overPlainHttp(); // a loopback registry that speaks plain HTTP
    }
    String problem = RealmPolicy.problemWith(endpoint, realm, new Secrets()).orElse(null);
    if (refused.isEmpty()) {
      assertNull(problem);
    } else {
      assertTrue(problem != null && problem.contains(refused), String.valueOf(problem));
    }
  }

  @Test
  void loopbackRegistryThatSpeaksTls_mayNotUseAPlainHttpRealm() {
    Endpoint tls = Endpoint.of("127.0.0.1:5000", NONE, NONE).overHttps();
    assertTrue(
        RealmPolicy.problemWith(tls, "http://127.0.0.1:5001/token", new Secrets())
            .orElseThrow()
            .contains("plain-HTTP token realm"));
  }

  @ParameterizedTest
  @CsvSource({"registry.example:5000, true", "registry.example:5000, false"})
  void insecureRegistry_mayUseAPlainHttpRealm_butNotALocalOne(String registry, boolean unused) {
    Endpoint insecure = Endpoint.of(registry, Set.of(registry), NONE);
    assertEquals(
        Optional.empty(),
        RealmPolicy.problemWith(insecure, "http://auth.example/token", new Secrets()));
    assertEquals(
        Optional.of(
            "its token realm http://127.0.0.1:1/token points at a local or private address;"
                + " refusing"),
        RealmPolicy.problemWith(insecure, "http://127.0.0.1:1/token?pw=x", new Secrets()));
  }

  /** Numeric hosts in every spelling inet_aton accepts, which some clients still resolve. */
  @ParameterizedTest
  @CsvSource({
    "0x7f000001, true",
    "2130706433, true",
    "127.1, true",
    "0177.0.0.1, true",
    "0x7f.0.0.1, true",
    "10.1, true",
    "0xa9fea9fe, true",
    "8.8.8.8, false",
    "0x08080808, false",
    "134744072, false",
  })
  void numericHosts_areReadAsInetAtonDoes(String host, boolean local) {
    assertEquals(local, RealmPolicy.isLocal(host), host);
  }

  @ParameterizedTest
  @CsvSource({"1.2.3.4.5", "256.1.1.1", "0x, ", "ghcr.io", "1.2.3.04a"})
  void notNumbers_areNotIpv4(String host) {
    assertTrue(RealmPolicy.ipv4(host == null ? "" : host).isEmpty(), String.valueOf(host));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "https://auth.example/token          | https://auth.example/token?service=s",
        "https://auth.example/token?a=b      | https://auth.example/token?a=b&service=s",
        "https://auth.example/token#frag     | https://auth.example/token?service=s",
        "https://auth.example/token?a=b#frag | https://auth.example/token?a=b&service=s",
      })
  void tokenQuery_isAddedBeforeAnyFragment(String realm, String expected) {
    assertEquals(expected, TokenClient.withQuery(URI.create(realm), "service=s").toString());
  }
}
