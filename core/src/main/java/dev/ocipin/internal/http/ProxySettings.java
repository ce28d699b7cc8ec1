package dev.ocipin.internal.http;

import java.io.IOException;
import java.net.Authenticator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * The proxies a process's environment asks for, read as Go's {@code net/http/httpproxy} (which the
 * docker CLI, podman, crane and skopeo use) reads them: {@code HTTPS_PROXY} for https URLs and
 * {@code HTTP_PROXY} for http ones, upper case before lower case, and {@code NO_PROXY} with its
 * rules: {@code *} for everything; a domain name matching itself and its subdomains, a leading dot
 * matching subdomains only; IP addresses and CIDR ranges; and an optional {@code :port}. Loopback
 * hosts never go through a proxy. When the JVM's own {@code https.proxyHost} or {@code
 * http.proxyHost} property is set, the JVM's selector is used instead, as a Java user would expect.
 *
 * <p>Credentials in a proxy URL ({@code http://user:pass@proxy:3128}) are answered to the proxy's
 * 407 by {@link #authenticator()}, for that proxy only; they never appear in {@link #toString()}.
 */
public final class ProxySettings extends ProxySelector {
  private final @Nullable Endpoint https;
  private final @Nullable Endpoint http;
  private final List<String> noProxy;

  /** One proxy: where it is, and the credentials its URL carried, if any. */
  private record Endpoint(String host, int port, @Nullable String user, @Nullable String password) {
    InetSocketAddress address() {
      return InetSocketAddress.createUnresolved(host, port);
    }
  }

  private ProxySettings(@Nullable Endpoint https, @Nullable Endpoint http, List<String> noProxy) {
    this.https = https;
    this.http = http;
    this.noProxy = noProxy;
  }

  /**
   * Returns the proxy selector for {@code env} and the JVM {@code properties}: the JVM's default
   * selector when a {@code *.proxyHost} property is set, else the environment's proxies, or empty
   * when neither asks for one.
   *
   * @throws IllegalArgumentException when a proxy variable is not a usable URL, naming the variable
   *     but not its value (it may hold a password)
   */
  public static Optional<ProxySelector> from(Map<String, String> env, Properties properties) {
    if (properties.getProperty("https.proxyHost") != null
        || properties.getProperty("http.proxyHost") != null) {
      return Optional.ofNullable(ProxySelector.getDefault());
    }
    ProxySettings s = fromEnvironment(env);
    return s.https == null && s.http == null ? Optional.empty() : Optional.of(s);
  }

  /** Returns the environment's proxies, even when there are none. */
  public static ProxySettings fromEnvironment(Map<String, String> env) {
    // Go ignores HTTP_PROXY under CGI, where a request header could set it ("httpoxy").
    boolean cgi = env.containsKey("REQUEST_METHOD");
    Endpoint https = parse(first(env, "HTTPS_PROXY", "https_proxy"), "HTTPS_PROXY");
    Endpoint http =
        parse(
            cgi ? first(env, "http_proxy") : first(env, "HTTP_PROXY", "http_proxy"), "HTTP_PROXY");
    List<String> noProxy = new ArrayList<>();
    String np = first(env, "NO_PROXY", "no_proxy");
    if (np != null) {
      for (String entry : np.split(",")) {
        String e = entry.strip().toLowerCase(Locale.ROOT);
        if (!e.isEmpty()) {
          noProxy.add(e);
        }
      }
    }
    return new ProxySettings(https, http, List.copyOf(noProxy));
  }

  private static @Nullable String first(Map<String, String> env, String... names) {
    for (String n : names) {
      String v = env.get(n);
      if (v != null && !v.isBlank()) {
        return v.strip();
      }
    }
    return null;
  }

  private static @Nullable Endpoint parse(@Nullable String value, String variable) {
    if (value == null) {
      return null;
    }
    String v = value.contains("://") ? value : "http://" + value;
    URI uri;
    try {
      uri = URI.create(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(variable + " is not a proxy URL");
    }
    if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          variable
              + " must be an http:// proxy URL (the JDK's HTTP client supports HTTP proxies only,"
              + " which tunnel https with CONNECT)");
    }
    String user = null;
    String password = null;
    String info = uri.getRawUserInfo();
    if (info != null) {
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? info : info.substring(0, colon));
      password = colon < 0 ? "" : decode(info.substring(colon + 1));
    }
    return new Endpoint(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort(), user, password);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  @Override
  public List<Proxy> select(URI uri) {
    Endpoint p = "https".equalsIgnoreCase(uri.getScheme()) ? https : http;
    if (p == null || uri.getHost() == null || bypasses(uri.getHost(), port(uri))) {
      return List.of(Proxy.NO_PROXY);
    }
    return List.of(new Proxy(Proxy.Type.HTTP, p.address()));
  }

  @Override
  public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
    // Nothing to learn: the failure reaches the caller as a connection error.
  }

  private static int port(URI uri) {
    return uri.getPort() >= 0
        ? uri.getPort()
        : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  /** Whether {@code host}:{@code port} goes direct: loopback, or a {@code NO_PROXY} match. */
  boolean bypasses(String rawHost, int port) {
    String host = rawHost.toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.equals("localhost") || host.endsWith(".localhost") || isLoopbackLiteral(host)) {
      return true;
    }
    for (String entry : noProxy) {
      if (entry.equals("*")) {
        return true;
      }
      String pattern = entry;
      int entryPort = -1;
      int colon = pattern.lastIndexOf(':');
      if (colon > 0 && pattern.indexOf(':') == colon && !pattern.contains("/")) {
        try {
          entryPort = Integer.parseInt(pattern.substring(colon + 1));
          pattern = pattern.substring(0, colon);
        } catch (NumberFormatException e) {
          continue; // not a port: an entry Go would not match either
        }
      } else if (pattern.startsWith("[") && pattern.contains("]:")) {
        int close = pattern.indexOf("]:");
        entryPort = Integer.parseInt(pattern.substring(close + 2));
        pattern = pattern.substring(1, close);
      }
      if (entryPort >= 0 && entryPort != port) {
        continue;
      }
      if (pattern.contains("/")) {
        if (IpRanges.inCidr(host, pattern)) {
          return true;
        }
      } else if (IpRanges.isIpLiteral(pattern)) {
        if (sameIp(host, pattern)) {
          return true;
        }
      } else if (pattern.startsWith(".")) {
        if (host.endsWith(pattern)) {
          return true; // subdomains only
        }
      } else if (host.equals(pattern) || host.endsWith("." + pattern)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isLoopbackLiteral(String host) {
    if (!IpRanges.isIpLiteral(host)) {
      return false;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean sameIp(String host, String ip) {
    if (!IpRanges.isIpLiteral(host)) {
      return false;
    }
    try {
      return InetAddress.getByName(host).equals(InetAddress.getByName(ip));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * Returns an authenticator that answers a proxy's 407 with the credentials its URL carried, and
   * nothing else (not a registry's 401); empty when no proxy URL carried credentials. Basic answers
   * to a CONNECT tunnel (https through the proxy) also need the JVM's {@code
   * jdk.http.auth.tunneling.disabledSchemes} property emptied, which a library cannot do for its
   * host: the command line does it.
   */
  public Optional<Authenticator> authenticator() {
    if ((https == null || https.user() == null) && (http == null || http.user() == null)) {
      return Optional.empty();
    }
    return Optional.of(
        new Authenticator() {
          @Override
          protected @Nullable PasswordAuthentication getPasswordAuthentication() {
            if (getRequestorType() != RequestorType.PROXY) {
              return null;
            }
            for (Endpoint p : new Endpoint[] {https, http}) {
              if (p != null
                  && p.user() != null
                  && p.host().equalsIgnoreCase(getRequestingHost())
                  && p.port() == getRequestingPort()) {
                return new PasswordAuthentication(p.user(), p.password().toCharArray());
              }
            }
            return null;
          }
        });
  }

  /** Returns the proxies without their credentials, such as {@code https via proxy:3128}. */
  @Override
  public String toString() {
    return "proxies[https="
        + (https == null ? "none" : https.host() + ":" + https.port())
        + ", http="
        + (http == null ? "none" : http.host() + ":" + http.port())
        + ", no_proxy="
        + noProxy
        + "]";
  }
}
