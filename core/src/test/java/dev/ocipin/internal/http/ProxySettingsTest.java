package dev.ocipin.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Proxies from the environment, with the rules of Go's httpproxy (what docker and crane use). */
class ProxySettingsTest {
  private static final String NO_PROXY =
      "corp.example, .internal.example, 10.0.0.0/8, 192.168.1.7, registry.example:5000, [fd00::1]:443";

  private static ProxySettings settings(String noProxy) {
    return ProxySettings.fromEnvironment(
        Map.of("HTTPS_PROXY", "proxy.example:3128", "NO_PROXY", noProxy));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "https://ghcr.io/v2/, proxy",
    "https://corp.example/v2/, direct",
    "https://registry.corp.example/v2/, direct",
    "https://notcorp.example/v2/, proxy",
    "https://internal.example/v2/, proxy",
    "https://a.internal.example/v2/, direct",
    "https://10.1.2.3/v2/, direct",
    "https://11.1.2.3/v2/, proxy",
    "https://192.168.1.7/v2/, direct",
    "https://registry.example:5000/v2/, direct",
    "https://registry.example/v2/, proxy",
    "https://[fd00::1]/v2/, direct",
    "https://[fd00::1]:8443/v2/, proxy",
    "https://127.0.0.1:5000/v2/, direct",
    "https://localhost:5000/v2/, direct",
    "https://[::1]:5000/v2/, direct",
    "http://plain.example/v2/, direct",
  })
  void noProxyRules(String url, String expected) {
    List<Proxy> chosen = settings(NO_PROXY).select(URI.create(url));
    assertEquals(expected, chosen.get(0) == Proxy.NO_PROXY ? "direct" : "proxy", url);
  }

  @Test
  void star_bypassesEverything() {
    assertEquals(Proxy.NO_PROXY, settings("*").select(URI.create("https://ghcr.io/")).get(0));
  }

  @Test
  void upperCaseFirst_thenLowerCase_andCgiIgnoresHttpProxy() {
    ProxySettings s =
        ProxySettings.fromEnvironment(
            Map.of("HTTPS_PROXY", "upper.example:1", "https_proxy", "lower.example:2"));
    assertEquals(
        InetSocketAddress.createUnresolved("upper.example", 1),
        s.select(URI.create("https://ghcr.io/")).get(0).address());
    ProxySettings cgi =
        ProxySettings.fromEnvironment(
            Map.of("HTTP_PROXY", "evil.example:1", "REQUEST_METHOD", "GET"));
    assertEquals(Proxy.NO_PROXY, cgi.select(URI.create("http://registry.example/")).get(0));
  }

  @Test
  void jvmProperties_win_andNoProxyVariables_meanNoSelector() {
    Properties props = new Properties();
    assertTrue(ProxySettings.from(Map.of(), props).isEmpty());
    props.setProperty("https.proxyHost", "jvm.example");
    assertTrue(ProxySettings.from(Map.of("HTTPS_PROXY", "env.example:1"), props).isPresent());
    assertFalse(
        ProxySettings.from(Map.of("HTTPS_PROXY", "env.example:1"), props).get()
            instanceof ProxySettings);
  }

  @Test
  void badProxyUrl_namesTheVariable_notTheValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ProxySettings.fromEnvironment(
                    Map.of("HTTPS_PROXY", "socks5://u:hunter2@proxy.example:1080")));
    assertTrue(
        e.getMessage().startsWith("HTTPS_PROXY must be an http:// proxy URL"), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"));
  }

  @Test
  void credentials_goToTheProxyOnly_andNeverIntoToString() {
    ProxySettings s =
        ProxySettings.fromEnvironment(
            Map.of("HTTPS_PROXY", "http://proxy-user:p%40ss@proxy.example:3128"));
    assertFalse(s.toString().contains("p@ss"), s.toString());
    assertFalse(s.toString().contains("proxy-user"), s.toString());
    Authenticator a = s.authenticator().orElseThrow();
    PasswordAuthentication pa =
        a.requestPasswordAuthenticationInstance(
            "proxy.example",
            null,
            3128,
            "http",
            "",
            "basic",
            null,
            Authenticator.RequestorType.PROXY);
    assertEquals("proxy-user", pa.getUserName());
    assertEquals("p@ss", new String(pa.getPassword()));
    assertNull(
        a.requestPasswordAuthenticationInstance(
            "ghcr.io", null, 443, "https", "", "basic", null, Authenticator.RequestorType.SERVER));
    assertNull(
        a.requestPasswordAuthenticationInstance(
            "other.example",
            null,
            3128,
            "http",
            "",
            "basic",
            null,
            Authenticator.RequestorType.PROXY));
    assertTrue(
        ProxySettings.fromEnvironment(Map.of("HTTPS_PROXY", "p:1")).authenticator().isEmpty());
  }
}
