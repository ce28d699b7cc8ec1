package dev.ocipin.registry;

import dev.ocipin.internal.http.Secrets;
import dev.ocipin.internal.http.Urls;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where a registry may send ocipin for tokens. A registry's challenge names a realm, and ocipin
 * sends the registry's credentials there, so a hostile or compromised registry could aim them, or
 * ocipin itself, at a service inside the network (server-side request forgery), as
 * go-containerregistry guards against. The realm must be an http(s) URL; https unless the registry
 * itself is reached over plain HTTP; and a registry that is not on loopback must not name a
 * loopback, link-local, private or unique-local address, by literal in any numeric spelling ({@code
 * 127.1}, {@code 0x7f000001}, {@code 2130706433}) or by a name that only a local network resolves
 * ({@code localhost.}, {@code *.localhost}, {@code *.internal} such as {@code
 * metadata.google.internal}, {@code *.local}, or a single label). Names are not resolved.
 */
final class RealmPolicy {
  private static final Set<String> LOCAL_SUFFIXES =
      Set.of("localhost", "internal", "local", "localdomain", "home.arpa");

  private RealmPolicy() {}

  /**
   * Returns why {@code endpoint}'s token realm {@code realm} must not be used, or empty when it
   * may. The reason quotes the realm without its query string, scrubbed of {@code secrets}.
   */
  static Optional<String> problemWith(Endpoint endpoint, String realm, Secrets secrets) {
    URI uri;
    try {
      uri = URI.create(realm.strip());
    } catch (IllegalArgumentException e) {
      return Optional.of("its token realm is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
      return Optional.of("its token realm is not an http(s) URL with a host name");
    }
    String shown = Urls.print(uri, secrets);
    if (scheme.equals("http") && !endpoint.plainHttp()) {
      return Optional.of(
          "it sent a plain-HTTP token realm " + shown + " for an HTTPS registry; refusing");
    }
    if (!endpoint.loopback() && isLocal(uri.getHost())) {
      return Optional.of(
          "its token realm " + shown + " points at a local or private address; refusing");
    }
    return Optional.empty();
  }

  /**
   * Whether {@code host} is a loopback, link-local, private (RFC 1918), unique-local (fc00::/7) or
   * unspecified address, in any numeric spelling, or a name that only a local network resolves.
   */
  static boolean isLocal(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      return isLocalAddress(h.substring(1, h.length() - 1));
    }
    while (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1); // "localhost." is localhost
    }
    Optional<byte[]> ipv4 = ipv4(h);
    if (ipv4.isPresent()) {
      try {
        return isLocal(InetAddress.getByAddress(ipv4.get()));
      } catch (UnknownHostException e) {
        return true;
      }
    }
    if (h.contains(":")) {
      return isLocalAddress(h);
    }
    if (h.isEmpty() || !h.contains(".")) {
      return true; // a single label only means something to a local resolver
    }
    for (String suffix : LOCAL_SUFFIXES) {
      if (h.equals(suffix) || h.endsWith("." + suffix)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isLocalAddress(String literal) {
    try {
      return isLocal(InetAddress.getByName(literal));
    } catch (UnknownHostException | SecurityException e) {
      return true; // not a valid literal: do not trust it
    }
  }

  private static boolean isLocal(InetAddress a) {
    byte[] b = a.getAddress();
    boolean uniqueLocal = b.length == 16 && (b[0] & 0xfe) == 0xfc;
    return a.isLoopbackAddress()
        || a.isLinkLocalAddress()
        || a.isSiteLocalAddress()
        || a.isAnyLocalAddress()
        || uniqueLocal;
  }

  /**
   * Parses an IPv4 address the way inet_aton does, which is how many resolvers and HTTP clients
   * read a numeric host: one to four parts, each decimal, octal (leading 0) or hex (0x), the last
   * part filling the remaining bytes. Empty when {@code host} is not such a number.
   */
  static Optional<byte[]> ipv4(String host) {
    String[] parts = host.split("\\.", -1);
    if (parts.length > 4) {
      return Optional.empty();
    }
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      Optional<Long> v = number(parts[i]);
      if (v.isEmpty()) {
        return Optional.empty();
      }
      values[i] = v.get();
    }
    long last = values[values.length - 1];
    int lastBytes = 5 - values.length;
    if (last >= (1L << (8 * lastBytes))) {
      return Optional.empty();
    }
    long address = last;
    for (int i = 0; i < values.length - 1; i++) {
      if (values[i] > 255) {
        return Optional.empty();
      }
      address |= values[i] << (8 * (3 - i));
    }
    return Optional.of(
        new byte[] {
          (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address
        });
  }

  private static Optional<Long> number(String part) {
    try {
      if (part.startsWith("0x") || part.startsWith("0X")) {
        return part.length() > 2 && part.length() <= 10
            ? Optional.of(Long.parseLong(part.substring(2), 16))
            : Optional.empty();
      }
      if (part.isEmpty() || part.length() > 12 || !part.chars().allMatch(Character::isDigit)) {
        return Optional.empty();
      }
      return Optional.of(
          part.length() > 1 && part.startsWith("0")
              ? Long.parseLong(part, 8)
              : Long.parseLong(part));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
