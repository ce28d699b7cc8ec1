package dev.ocipin.internal.http;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Decides what to do with a redirect, since ocipin follows them by hand (the JDK client would carry
 * the {@code Authorization} header to whatever host a registry names): at most {@value #MAX_HOPS}
 * hops, never from https down to http, and the {@code Authorization} header only to the origin
 * (scheme, host and port) that it was sent to, as Go's net/http and curl do.
 */
public final class RedirectPolicy {
  /** The most redirects followed for one request, as Go's net/http allows. */
  public static final int MAX_HOPS = 10;

  private RedirectPolicy() {}

  /** What to do with one response. */
  public sealed interface Decision permits Follow, Refuse {}

  /**
   * Follow the redirect to {@code next}; {@code keepAuthorization} says whether the {@code
   * Authorization} header goes with it (same origin only).
   */
  public record Follow(URI next, boolean keepAuthorization) implements Decision {}

  /** Do not follow: {@code reason} says why, naming no query string. */
  public record Refuse(String reason) implements Decision {}

  /**
   * Returns the decision for a response with {@code status} and {@code location} to a request for
   * {@code from} that already followed {@code hops} redirects; empty when the response is not a
   * redirect to follow (not 3xx, 304, or no {@code Location}).
   */
  public static Optional<Decision> decide(
      URI from, int status, Optional<String> location, int hops) {
    if (status < 300 || status >= 400 || status == 304 || location.isEmpty()) {
      return Optional.empty();
    }
    if (hops >= MAX_HOPS) {
      return Optional.of(new Refuse("more than " + MAX_HOPS + " redirects"));
    }
    URI next;
    try {
      next = from.resolve(location.get().strip());
    } catch (IllegalArgumentException e) {
      return Optional.of(new Refuse("redirect to an invalid Location"));
    }
    String scheme = lower(next.getScheme());
    if (next.getHost() == null || !("https".equals(scheme) || "http".equals(scheme))) {
      return Optional.of(new Refuse("redirect to a Location that is not an http(s) URL"));
    }
    if ("https".equals(lower(from.getScheme())) && !"https".equals(scheme)) {
      return Optional.of(
          new Refuse("refusing a redirect from https to " + scheme + "://" + next.getHost()));
    }
    return Optional.of(new Follow(next, sameOrigin(from, next)));
  }

  /** Whether two URIs share scheme, host and port (the port defaulted by the scheme). */
  public static boolean sameOrigin(URI a, URI b) {
    return Objects.equals(lower(a.getScheme()), lower(b.getScheme()))
        && Objects.equals(lower(a.getHost()), lower(b.getHost()))
        && port(a) == port(b);
  }

  private static @Nullable String lower(@Nullable String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  private static int port(URI u) {
    if (u.getPort() >= 0) {
      return u.getPort();
    }
    return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }
}
