package dev.ocipin.maven;

import java.io.IOException;
import java.net.InetSocketAddress;
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

/**
 * The active {@code <proxy>} of {@code settings.xml} as a {@link ProxySelector}, as Maven applies
 * it to repositories: a proxy whose {@code <protocol>} is {@code https} serves HTTPS registries,
 * one whose protocol is {@code http} serves plain-HTTP registries and, when no {@code https} proxy
 * is active, HTTPS ones too (the usual corporate set-up declares only one). {@code <nonProxyHosts>}
 * ({@code |} or {@code ,} separated, {@code *} as a wildcard) go direct. ocipin never sends a
 * loopback registry through a proxy.
 */
final class SettingsProxies {
  private SettingsProxies() {}

  /**
   * The selector for the active proxies of {@code settings}, or empty when there are none (ocipin
   * then follows {@code HTTPS_PROXY} and the JVM's properties). Proxy credentials are not sent:
   * {@code warn} says so when a proxy has them.
   */
  static Optional<ProxySelector> of(Settings settings, Consumer<String> warn) {
    Route http = null;
    Route https = null;
    for (org.apache.maven.settings.Proxy p : settings.getProxies()) {
      if (!p.isActive() || p.getHost() == null || p.getHost().isBlank()) {
        continue;
      }
      if (p.getUsername() != null && !p.getUsername().isBlank()) {
        warn.accept(
            "settings.xml proxy "
                + p.getId()
                + " has credentials; ocipin does not send proxy credentials, so the proxy must"
                + " let it through without them");
      }
      String protocol = p.getProtocol() == null ? "http" : p.getProtocol().toLowerCase(Locale.ROOT);
      Route r = new Route(p.getHost().strip(), p.getPort(), nonProxy(p.getNonProxyHosts()));
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
    return Optional.of(new Selector(http, https));
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

  private record Route(String host, int port, List<Pattern> direct) {
    boolean bypasses(String target) {
      String t = target.toLowerCase(Locale.ROOT);
      return direct.stream().anyMatch(p -> p.matcher(t).matches());
    }
  }

  private static final class Selector extends ProxySelector {
    private final Route http;
    private final Route https;

    Selector(Route http, Route https) {
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
