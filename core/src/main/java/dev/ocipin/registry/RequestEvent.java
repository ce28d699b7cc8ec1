package dev.ocipin.registry;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP request ocipin made, as a {@link RequestListener} sees it.
 *
 * @param method the HTTP method, such as {@code HEAD}
 * @param uri the URL without user info, query or fragment, its path scrubbed of every secret ocipin
 *     sent: servers hand back URLs (redirect targets, token realms, signed storage URLs) that can
 *     carry secrets
 * @param status the response status, or 0 when no response was received
 * @param elapsed the time from sending the request to receiving the response headers
 * @param rateLimitRemaining the {@code RateLimit-Remaining} header of the response, if it had one
 */
public record RequestEvent(
    String method, URI uri, int status, Duration elapsed, Optional<String> rateLimitRemaining) {
  /** Checks that the required parts are present. */
  public RequestEvent {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(rateLimitRemaining, "rateLimitRemaining");
  }

  /** Returns {@code METHOD uri -> status (elapsed ms)}. */
  @Override
  public String toString() {
    return method + " " + uri + " -> " + status + " (" + elapsed.toMillis() + " ms)";
  }
}
