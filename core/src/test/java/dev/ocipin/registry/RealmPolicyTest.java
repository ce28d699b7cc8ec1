package dev.ocipin.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
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
        "localhost:5000      | http://127.0.0.1:5001/token            | ''",
        "127.0.0.1:5000      | http://localhost:9999/token            | ''",
      })
  void realmPolicy(String registry, String realm, String refused) {
    String problem = Transport.realmProblem(Endpoint.of(registry, NONE, NONE), realm);
    if (refused.isEmpty()) {
      assertNull(problem);
    } else {
      assertTrue(problem != null && problem.contains(refused), String.valueOf(problem));
    }
  }

  @ParameterizedTest
  @CsvSource({"registry.example:5000, true", "registry.example:5000, false"})
  void insecureRegistry_mayUseAPlainHttpRealm_butNotALocalOne(String registry, boolean unused) {
    Endpoint insecure = Endpoint.of(registry, Set.of(registry), NONE);
    assertNull(Transport.realmProblem(insecure, "http://auth.example/token"));
    assertEquals(
        "its token realm http://127.0.0.1:1/token points at a local or private address; refusing",
        Transport.realmProblem(insecure, "http://127.0.0.1:1/token"));
  }
}
