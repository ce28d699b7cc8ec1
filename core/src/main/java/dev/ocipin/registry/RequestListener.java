package dev.ocipin.registry;

/**
 * Sees every HTTP request ocipin makes, after its response headers arrive or it fails. Use it to
 * count requests, log them or watch rate limits.
 *
 * <p>Called from HTTP client threads, possibly concurrently; implementations must be thread-safe
 * and quick. An exception thrown by a listener is ignored.
 */
@FunctionalInterface
public interface RequestListener {
  /** Receives one request's outcome. */
  void onRequest(RequestEvent event);
}
