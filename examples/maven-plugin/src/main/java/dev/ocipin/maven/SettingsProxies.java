package dev.ocipin.maven;

import java.io.IOException;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.jspecify.annotations.Nullable;

/**
 * The active {@code <proxy>} of {@code settings.xml} as a {@link ProxySelector}, as Maven applies
 * it to repositories: a proxy whose {@code <protocol>} is {@code https} serves HTTPS registries,
 * one whose protocol is {@code http} serves plain-HTTP registries and, when no {@code https} proxy
 * is active, HTTPS ones too (the usual corporate set-up declares only one). {@code <nonProxyHosts>}
 * ({@code |} or {@code ,} separated, {@code *} as a wildcard) go direct. ocipin never sends a
 * loopback registry through a proxy. A proxy's {@code <username>} and {@code <password>} (decrypted
 * as Maven decrypts them) answer that proxy's {@code 407}, and nothing else.
 */
final class SettingsProxies {
  private SettingsProxies() {}

  /** The proxies of settings.xml: where requests go, and the credentials the proxies asked for. */
  record Configured(ProxySelector selector, Optional<Authenticator> authenticator) {}

  /**
   * The selector for the active proxies of {@code settings}, or empty when there are none (ocipin
   * then follows {@code HTTPS_PROXY} and the JVM's properties). A proxy whose password cannot be
   * decrypted is reported to {@code warn} by id and used without credentials.
   */
  static Optional<Configured> of(
      Settings settings, SettingsDecrypter decrypter, Consumer<String> warn) {
    @Nullable Route http = null;
    @Nullable Route https = null;
    for (org.apache.maven.settings.Proxy p : settings.getProxies()) {
      if (!p.isActive() || p.getHost() == null || p.getHost().isBlank()) {
        continue;
      }
      @Nullable String user = null;
      @Nullable String password = null;
      if (p.getUsername() != null && !p.getUsername().isBlank() && p.getPassword() != null) {
        SettingsDecryptionResult d =
            decrypter.decrypt(new DefaultSettingsDecryptionRequest(p.clone()));
        if (d.getProblems().isEmpty()) {
          user = d.getProxy().getUsername();
          password = d.getProxy().getPassword();
        } else {
          warn.accept(
              "settings.xml proxy "
                  + p.getId()
                  + ": its password cannot be decrypted ("
                  + d.getProblems().get(0).getMessage()
                  + "); it is used without credentials");
        }
      }
      String protocol = p.getProtocol() == null ? "http" : p.getProtocol().toLowerCase(Locale.ROOT);
      Route r =
          new Route(
              p.getHost().strip(), p.getPort(), nonProxy(p.getNonProxyHosts()), user, password);
      // The first active proxy of each protocol wins, as in Maven.
      if (protocol.equals("https") && https == null) {
        https = r;
      } else if (protocol.equals("http") && http == null) {
        http = r;
      }
    }
    if (http == null && https == null) {
      return Optional.empty();
    }
    List<Route> withCredentials = new ArrayList<>();
    for (Route r : new Route[] {https, http}) {
      if (r != null && r.user() != null) {
        withCredentials.add(r);
      }
    }
    return Optional.of(
        new Configured(
            new Selector(http, https),
            withCredentials.isEmpty()
                ? Optional.empty()
                : Optional.of(new ProxyAuthenticator(withCredentials))));
  }

  /** Answers a proxy's 407 with its own credentials, and never a registry's 401. */
  private static final class ProxyAuthenticator extends Authenticator {
    private final List<Route> routes;

    ProxyAuthenticator(List<Route> routes) {
      this.routes = routes;
    }

    @Override
    protected @Nullable PasswordAuthentication getPasswordAuthentication() {
      if (getRequestorType() != RequestorType.PROXY) {
        return null;
      }
      for (Route r : routes) {
        String user = r.user();
        String password = r.password();
        if (user != null
            && password != null
            && r.host().equalsIgnoreCase(getRequestingHost())
            && r.port() == getRequestingPort()) {
          return new PasswordAuthentication(user, password.toCharArray());
        }
      }
      return null;
    }

    @Override
    public String toString() {
      return "settings.xml proxy credentials (" + routes.size() + " proxies)";
    }
  }

  private static List<Pattern> nonProxy(String hosts) {
    List<Pattern> out = new ArrayList<>();
    if (hosts == null) {
      return out;
    }
    for (String h : hosts.split("[|,]")) {
      String host = h.strip().toLowerCase(Locale.ROOT);
      if (!host.isEmpty()) {
        out.add(Pattern.compile(Pattern.quote(host).replace("*", "\\E.*\\Q")));
      }
    }
    return out;
  }

  /** One proxy; its credentials, if any, never appear in {@link #toString()}. */
  private record Route(
      String host,
      int port,
      List<Pattern> direct,
      @Nullable String user,
      @Nullable String password) {
    @Override
    public String toString() {
      return host + ":" + port;
    }

    boolean bypasses(String target) {
      String t = target.toLowerCase(Locale.ROOT);
      return direct.stream().anyMatch(p -> p.matcher(t).matches());
    }
  }

  private static final class Selector extends ProxySelector {
    private final @Nullable Route http;
    private final @Nullable Route https;

    Selector(@Nullable Route http, @Nullable Route https) {
      this.http = http;
      this.https = https;
    }

    @Override
    public List<Proxy> select(URI uri) {
      boolean secure = "https".equalsIgnoreCase(uri.getScheme());
      Route r = secure && https != null ? https : http;
      if (r == null || uri.getHost() == null || r.bypasses(uri.getHost())) {
        return List.of(Proxy.NO_PROXY);
      }
      return List.of(
          new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(r.host, r.port)));
    }

    @Override
    public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
      // Nothing to remember: the request fails with its own message.
    }

    @Override
    public String toString() {
      return "settings.xml proxies (http: "
          + (http == null ? "none" : http.host + ":" + http.port)
          + ", https: "
          + (https == null ? "none" : https.host + ":" + https.port)
          + ")";
    }
  }
}
