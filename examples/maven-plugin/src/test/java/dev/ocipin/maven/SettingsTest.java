package dev.ocipin.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ocipin.Platform;
import dev.ocipin.auth.Credential;
import dev.ocipin.auth.CredentialProvider;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.DefaultSettingsProblem;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.junit.jupiter.api.Test;

/** settings.xml servers and proxies as ocipin reads them, and the plugin's image configuration. */
class SettingsTest {
  /** Decrypts "{enc:X}" to X and refuses "{broken}", as Maven's decrypter answers. */
  private static final SettingsDecrypter DECRYPTER =
      request -> {
        boolean isProxy = !request.getProxies().isEmpty();
        String id =
            isProxy ? request.getProxies().get(0).getId() : request.getServers().get(0).getId();
        String password =
            isProxy
                ? request.getProxies().get(0).getPassword()
                : request.getServers().get(0).getPassword();
        List<SettingsProblem> problems = new ArrayList<>();
        String plain = password;
        if (password.equals("{broken}")) {
          problems.add(
              new DefaultSettingsProblem(
                  "Failed to decrypt password for " + id,
                  SettingsProblem.Severity.ERROR,
                  id,
                  -1,
                  -1,
                  null));
        } else if (password.startsWith("{enc:")) {
          plain = password.substring(5, password.length() - 1);
        }
        Server server = isProxy ? null : request.getServers().get(0).clone();
        org.apache.maven.settings.Proxy proxy =
            isProxy ? request.getProxies().get(0).clone() : null;
        if (isProxy) {
          proxy.setPassword(plain);
        } else {
          server.setPassword(plain);
        }
        return new SettingsDecryptionResult() {
          @Override
          public Server getServer() {
            return server;
          }

          @Override
          public List<Server> getServers() {
            return server == null ? List.of() : List.of(server);
          }

          @Override
          public org.apache.maven.settings.Proxy getProxy() {
            return proxy;
          }

          @Override
          public List<org.apache.maven.settings.Proxy> getProxies() {
            return proxy == null ? List.of() : List.of(proxy);
          }

          @Override
          public List<SettingsProblem> getProblems() {
            return problems;
          }
        };
      };

  private static Server server(String id, String user, String password) {
    Server s = new Server();
    s.setId(id);
    s.setUsername(user);
    s.setPassword(password);
    return s;
  }

  @Test
  void servers_areCredentialsForTheirHost_decrypted_andNeverQuoted() throws Exception {
    Settings settings = new Settings();
    settings.addServer(server("ghcr.io", "bot", "{enc:s3cret-token}"));
    settings.addServer(server("registry.example.com:5000", "ci", "plain-pass"));
    settings.addServer(server("docker.io", "hub", "{broken}"));
    settings.addServer(server("nexus-releases", null, null)); // a Maven repository's key: passed
    List<String> warnings = new ArrayList<>();
    List<CredentialProvider> providers = SettingsCredentials.of(settings, DECRYPTER, warnings::add);
    assertEquals(2, providers.size());
    assertEquals(
        Optional.of(Credential.basic("bot", "s3cret-token")),
        providers.get(0).credentialFor("ghcr.io", "team/app"));
    assertEquals(Optional.empty(), providers.get(0).credentialFor("ghcr.io:443", "team/app"));
    assertEquals(
        Optional.of(Credential.basic("ci", "plain-pass")),
        providers.get(1).credentialFor("registry.example.com:5000", "x"));
    assertEquals(
        List.of(
            "settings.xml server docker.io: its password cannot be decrypted (Failed to decrypt"
                + " password for docker.io); its credentials are not used"),
        warnings);
    String shown = providers + " " + SettingsCredentials.chain(settings, DECRYPTER, w -> {});
    assertFalse(shown.contains("s3cret") || shown.contains("plain-pass"), shown);
  }

  private static org.apache.maven.settings.Proxy proxy(
      String id, String protocol, String host, int port, String nonProxy) {
    org.apache.maven.settings.Proxy p = new org.apache.maven.settings.Proxy();
    p.setId(id);
    p.setProtocol(protocol);
    p.setHost(host);
    p.setPort(port);
    p.setNonProxyHosts(nonProxy);
    return p;
  }

  private static String route(ProxySelector s, String uri) {
    Proxy p = s.select(URI.create(uri)).get(0);
    return p == Proxy.NO_PROXY
        ? "direct"
        : ((InetSocketAddress) p.address()).getHostString()
            + ":"
            + ((InetSocketAddress) p.address()).getPort();
  }

  private static java.net.PasswordAuthentication ask(
      java.net.Authenticator a, String host, int port, java.net.Authenticator.RequestorType type) {
    return a.requestPasswordAuthenticationInstance(
        host, null, port, "http", "corp", "basic", null, type);
  }

  @Test
  void proxies_likeMaven_httpServesHttpsUnlessAnHttpsProxyIsActive_nonProxyHostsGoDirect() {
    Settings one = new Settings();
    one.addProxy(proxy("corp", "http", "proxy.corp", 3128, "*.corp|registry.internal,localhost"));
    List<String> warnings = new ArrayList<>();
    SettingsProxies.Configured c = SettingsProxies.of(one, DECRYPTER, warnings::add).orElseThrow();
    ProxySelector s = c.selector();
    assertEquals("proxy.corp:3128", route(s, "https://registry-1.docker.io/v2/"));
    assertEquals("proxy.corp:3128", route(s, "http://plain.example/v2/"));
    assertEquals("direct", route(s, "https://harbor.corp/v2/"));
    assertEquals("direct", route(s, "https://Registry.Internal/v2/"));
    assertEquals("proxy.corp:3128", route(s, "https://corp/v2/"), "*.corp needs a dot");
    assertEquals(Optional.empty(), c.authenticator(), "no credentials, no authenticator");
    assertEquals(List.of(), warnings);

    Settings two = new Settings();
    org.apache.maven.settings.Proxy inactive = proxy("off", "https", "off.corp", 1, null);
    inactive.setActive(false);
    two.addProxy(inactive);
    org.apache.maven.settings.Proxy secure = proxy("secure", "https", "tls.corp", 8443, null);
    secure.setUsername("me");
    secure.setPassword("{enc:proxy-secret}");
    two.addProxy(secure);
    org.apache.maven.settings.Proxy broken = proxy("plain", "http", "plain.corp", 8080, null);
    broken.setUsername("me");
    broken.setPassword("{broken}");
    two.addProxy(broken);
    SettingsProxies.Configured both =
        SettingsProxies.of(two, DECRYPTER, warnings::add).orElseThrow();
    assertEquals("tls.corp:8443", route(both.selector(), "https://ghcr.io/v2/"));
    assertEquals("plain.corp:8080", route(both.selector(), "http://ghcr.io/v2/"));
    java.net.Authenticator a = both.authenticator().orElseThrow();
    java.net.PasswordAuthentication pa =
        ask(a, "tls.corp", 8443, java.net.Authenticator.RequestorType.PROXY);
    assertEquals("me", pa.getUserName());
    assertEquals("proxy-secret", new String(pa.getPassword()), "decrypted");
    assertNull(
        ask(a, "ghcr.io", 443, java.net.Authenticator.RequestorType.SERVER), "never a registry");
    assertNull(
        ask(a, "plain.corp", 8080, java.net.Authenticator.RequestorType.PROXY),
        "a password that cannot be decrypted is not sent");
    assertEquals(
        List.of(
            "settings.xml proxy plain: its password cannot be decrypted (Failed to decrypt"
                + " password for plain); it is used without credentials"),
        warnings);
    String shown = both.selector() + " " + a;
    assertFalse(shown.contains("secret"), shown);

    assertEquals(Optional.empty(), SettingsProxies.of(new Settings(), DECRYPTER, warnings::add));
  }

  @Test
  void images_sayWhatIsMissing() {
    assertEquals(
        new dev.ocipin.lock.ImageLock.Declared(
            "base", "eclipse-temurin:21-jre", Optional.of(Platform.parse("linux/arm64"))),
        new Image(" base ", "eclipse-temurin:21-jre", "linux/arm64").declared());
    assertEquals(
        "an <image> has no <name>; give each image a name, such as <name>base</name>",
        assertThrows(IllegalArgumentException.class, () -> new Image(null, "x", null).declared())
            .getMessage());
    assertEquals(
        "image base has no <reference>; give the reference to lock, such as"
            + " <reference>eclipse-temurin:21-jre</reference>",
        assertThrows(IllegalArgumentException.class, () -> new Image("base", " ", null).declared())
            .getMessage());
  }
}
