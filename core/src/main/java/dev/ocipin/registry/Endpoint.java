package dev.ocipin.registry;

import dev.ocipin.auth.internal.Hosts;
import dev.ocipin.internal.http.IpRanges;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a registry's API is reached: {@code docker.io} is served by {@code registry-1.docker.io};
 * registries named insecure are reached over plain HTTP, all others over HTTPS. A loopback registry
 * without settings of its own is insecure by default, as docker treats it: HTTPS is tried first,
 * and plain HTTP when the server does not speak TLS (see {@link TlsFallback}).
 *
 * @param registry the registry as references name it, the key for credentials and challenges
 * @param host the host[:port] that serves the API
 * @param plainHttp whether the API is reached over plain HTTP
 * @param loopback whether the host is a loopback address
 * @param tlsFallback whether plain HTTP may still be tried, when HTTPS finds no TLS server
 */
record Endpoint(
    String registry, String host, boolean plainHttp, boolean loopback, boolean tlsFallback) {
  private static final Pattern IPV4_LOOPBACK =
      Pattern.compile("^127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$");

  /**
   * Returns the endpoint for {@code registry}: plain HTTP for one named {@code insecure}; HTTPS
   * only for one with TLS settings of its own ({@code secure}); HTTPS then plain HTTP for other
   * loopback registries; HTTPS for the rest.
   */
  public static Endpoint of(String registry, Set<String> insecure, Set<String> secure) {
    String host = Hosts.isDockerHub(registry) ? Hosts.DOCKER_HUB_API : registry;
    boolean loopback = isLoopback(hostname(host));
    String key = registry.toLowerCase(Locale.ROOT);
    if (secure.contains(key)) {
      return new Endpoint(registry, host, false, loopback, false);
    }
    if (insecure.contains(key) || insecure.contains(host) || inRange(hostname(host), insecure)) {
      return new Endpoint(registry, host, true, loopback, false);
    }
    return new Endpoint(registry, host, false, loopback, loopback);
  }

  /** Whether IP literal {@code hostname} lies in a CIDR range among {@code insecure}. */
  private static boolean inRange(String hostname, Set<String> insecure) {
    for (String entry : insecure) {
      if (entry.indexOf('/') > 0 && IpRanges.inCidr(hostname, entry)) {
        return true;
      }
    }
    return false;
  }

  /** This endpoint over plain HTTP, settled. */
  Endpoint overPlainHttp() {
    return new Endpoint(registry, host, true, loopback, false);
  }

  /** This endpoint over HTTPS, settled. */
  Endpoint overHttps() {
    return new Endpoint(registry, host, false, loopback, false);
  }

  /** Returns {@code scheme://host}. */
  public URI base() {
    return URI.create((plainHttp ? "http://" : "https://") + host);
  }

  /** Returns the host without port or IPv6 brackets. */
  static String hostname(String hostAndPort) {
    String h = hostAndPort;
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end > 0 ? h.substring(1, end) : h;
    }
    int colon = h.lastIndexOf(':');
    return colon >= 0 ? h.substring(0, colon) : h;
  }

  /** Returns the port of {@code hostAndPort}, or {@code otherwise} when it names none. */
  static int port(String hostAndPort, int otherwise) {
    int colon = hostAndPort.lastIndexOf(':');
    return colon > hostAndPort.lastIndexOf(']')
        ? Integer.parseInt(hostAndPort.substring(colon + 1))
        : otherwise;
  }

  /** Returns whether {@code hostname} is localhost, in 127.0.0.0/8, or ::1. */
  public static boolean isLoopback(String hostname) {
    String h = hostname.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.equals("localhost")
        || h.endsWith(".localhost")
        || IPV4_LOOPBACK.matcher(h).matches()
        || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1");
  }
}
