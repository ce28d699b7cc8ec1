package dev.ocipin.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedirectPolicyTest {
  private static final URI FROM = URI.create("https://registry.example/v2/app/manifests/1");

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "200 | ''                                  | none",
        "304 | /elsewhere                          | none",
        "307 | ''                                  | none",
        "307 | /v2/app/blobs/x                     | follow https://registry.example/v2/app/blobs/x keep",
        "302 | https://REGISTRY.example:443/x      | follow https://REGISTRY.example:443/x keep",
        "307 | https://storage.example/b?sig=1     | follow https://storage.example/b?sig=1 drop",
        "301 | https://registry.example:8443/x     | follow https://registry.example:8443/x drop",
        "307 | http://registry.example/x           | refuse refusing a redirect from https to http://registry.example",
        "307 | ftp://registry.example/x            | refuse not an http(s) URL",
        "307 | 'http://[bad'                       | refuse invalid Location",
      })
  void decide(int status, String location, String expected) {
    Optional<RedirectPolicy.Decision> d =
        RedirectPolicy.decide(
            FROM, status, location.isEmpty() ? Optional.empty() : Optional.of(location), 0);
    assertEquals(expected, describe(d));
  }

  @ParameterizedTest
  @CsvSource({"9, follow", "10, refuse"})
  void hopLimit(int hops, String expected) {
    String got = describe(RedirectPolicy.decide(FROM, 307, Optional.of("/x"), hops));
    assertTrue(got.startsWith(expected), got);
  }

  private static String describe(Optional<RedirectPolicy.Decision> d) {
    if (d.isEmpty()) {
      return "none";
    }
    if (d.get() instanceof RedirectPolicy.Refuse) {
      String reason = ((RedirectPolicy.Refuse) d.get()).reason();
      if (reason.contains("not an http(s) URL")) {
        return "refuse not an http(s) URL";
      }
      if (reason.contains("invalid Location")) {
        return "refuse invalid Location";
      }
      return "refuse " + reason;
    }
    RedirectPolicy.Follow f = (RedirectPolicy.Follow) d.get();
    return "follow " + f.next() + (f.keepAuthorization() ? " keep" : " drop");
  }
}
