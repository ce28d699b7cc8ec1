package dev.ocipin.internal.http;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * URLs as ocipin prints them. Every URL in a message or an event came from a server (a {@code
 * Location}, a token realm), and servers put secrets in URLs: signed storage URLs keep their
 * signature in the query, and a hostile server can echo a password into a path. So what is printed
 * has no user info, no query and no fragment, and its path is scrubbed of every secret ocipin sent.
 */
public final class Urls {
  private Urls() {}

  /** Returns {@code uri} fit to print: scheme, host, port and scrubbed path only. */
  public static URI printable(URI uri, Secrets secrets) {
    String path = uri.getRawPath() == null ? "" : secrets.scrub(uri.getRawPath());
    try {
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), null, null, null)
          .resolve(path.isEmpty() || path.startsWith("/") ? safe(path) : "/" + safe(path));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return URI.create(
          (uri.getScheme() == null ? "https" : uri.getScheme()) + "://" + host(uri) + "/");
    }
  }

  /** Returns {@code uri} fit to print, as text, with a scrubbed secret shown as such. */
  public static String print(URI uri, Secrets secrets) {
    String path = uri.getRawPath() == null ? "" : secrets.scrub(uri.getRawPath());
    return (uri.getScheme() == null ? "https" : uri.getScheme()) + "://" + host(uri) + path;
  }

  // The scrubbed path may hold "<redacted>": encode what a raw path may not contain.
  private static String safe(String rawPath) {
    return rawPath.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20");
  }

  private static String host(URI uri) {
    String h = uri.getHost() == null ? "unknown-host" : uri.getHost();
    return uri.getPort() >= 0 ? h + ":" + uri.getPort() : h;
  }
}
