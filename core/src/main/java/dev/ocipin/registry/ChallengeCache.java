package dev.ocipin.registry;

import dev.ocipin.internal.http.RedirectPolicy;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The authentication challenge of each registry, learned on demand from its first 401 (no {@code
 * /v2/} ping) and, with a token cache file, kept between runs.
 *
 * <p>A challenge decides where the registry's credentials go: Basic credentials to the registry, or
 * to the token realm a Bearer challenge names. So it is learned only from the registry's own
 * answer: a 401 of the registry's origin (scheme, host and port) to a request sent there, never
 * from a host a redirect led to. A storage host that a registry redirects a blob to and that
 * answers with its own challenge is not the registry, and its realm never sees the registry's
 * credentials. A mirror is a registry of its own here: what it asks for is filed under the mirror.
 *
 * <p>Thread-safe.
 */
final class ChallengeCache {
  private final ConcurrentHashMap<String, Challenge> byRegistry = new ConcurrentHashMap<>();
  private final @Nullable TokenCacheFile file;

  ChallengeCache(@Nullable TokenCacheFile file) {
    this.file = file;
    if (file != null) {
      byRegistry.putAll(file.challenges());
    }
  }

  /** Returns the challenge known for {@code registry}, if any. */
  Optional<Challenge> get(String registry) {
    return Optional.ofNullable(byRegistry.get(registry));
  }

  /** Returns whether the challenge of {@code registry} is known. */
  boolean knows(String registry) {
    return byRegistry.containsKey(registry);
  }

  /** What a 401 taught: the challenge, and the one known before it, if any. */
  record Learned(Challenge challenge, @Nullable Challenge previous) {
    /** Whether the registry asked for something other than what was known. */
    boolean changed() {
      return !challenge.equals(previous);
    }

    /** Whether this is the first challenge learned for the registry. */
    boolean first() {
      return previous == null;
    }
  }

  /**
   * Learns the challenge of a 401 response from {@code endpoint}, if the response is the registry's
   * own: not reached through a redirect, and of the endpoint's origin. Bearer is preferred over
   * Basic when both are offered. Empty for any other response, or a 401 without a usable challenge.
   */
  Optional<Learned> learn(Endpoint endpoint, Transport.Response response) {
    if (response.status() != 401
        || response.redirected()
        || !RedirectPolicy.sameOrigin(endpoint.base(), response.uri())) {
      return Optional.empty();
    }
    Optional<Challenge> offered =
        pick(Challenge.parseAll(response.headers().allValues("WWW-Authenticate")));
    if (offered.isEmpty()) {
      return Optional.empty();
    }
    Challenge c = offered.get();
    Challenge previous = byRegistry.put(endpoint.registry(), c);
    Learned learned = new Learned(c, previous);
    if (learned.changed() && file != null) {
      file.challenge(endpoint.registry(), c);
    }
    return Optional.of(learned);
  }

  /** Bearer first: a registry offering both prefers tokens. */
  static Optional<Challenge> pick(List<Challenge> all) {
    Optional<Challenge> bearer = all.stream().filter(Challenge::isBearer).findFirst();
    return bearer.isPresent() ? bearer : all.stream().filter(Challenge::isBasic).findFirst();
  }
}
