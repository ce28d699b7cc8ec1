package dev.ocipin.registry;

import dev.ocipin.Digest;
import dev.ocipin.model.ParsedManifest;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Manifests by digest, and the digest each tag had when last fetched, so a warm tag is one HEAD and
 * a digest seen before is no request at all. Manifests are immutable by digest, so an entry is
 * never stale; a tag's memory is only a hint that a HEAD confirms.
 *
 * <p>Bounded twice, least recently used out first: by entries, and by an estimate of the heap the
 * entries hold, since a registry's manifest may be megabytes (an index of a thousand platforms, a
 * manifest of many layers) and a count alone let 60 such indexes hold 773 MiB. An entry is weighed
 * as its JSON size times {@value #HEAP_PER_BYTE} (the raw bytes are kept for hashing and
 * re-serialising, and the parsed model with its strings measures about three times the JSON), plus
 * a fixed overhead. A manifest heavier than the whole bound is not cached.
 *
 * <p>Thread-safe.
 */
final class ManifestCache {
  static final int HEAP_PER_BYTE = 4;
  static final int ENTRY_OVERHEAD = 1024;

  private final int maxEntries;
  private final long maxWeight;
  private final LinkedHashMap<Digest, ParsedManifest> byDigest =
      new LinkedHashMap<>(16, 0.75f, true);
  private final LinkedHashMap<String, Digest> tags = new LinkedHashMap<>(16, 0.75f, true);
  private long weight;

  ManifestCache(int maxEntries, long maxBytes) {
    this.maxEntries = maxEntries;
    this.maxWeight = maxBytes;
  }

  static long weigh(ParsedManifest m) {
    return m.size() * HEAP_PER_BYTE + ENTRY_OVERHEAD;
  }

  /** Returns the manifest with {@code digest}, if cached. */
  synchronized Optional<ParsedManifest> get(Digest digest) {
    return Optional.ofNullable(byDigest.get(digest));
  }

  /** Returns whether a manifest with {@code digest} is cached. */
  synchronized boolean contains(Digest digest) {
    return byDigest.containsKey(digest);
  }

  /** Returns the digest {@code tag} (a reference without digest, as text) had when last fetched. */
  synchronized Optional<Digest> digestOfTag(String tag) {
    return Optional.ofNullable(tags.get(tag));
  }

  /** Caches {@code m}, and remembers it as what {@code tag} names when the tag is present. */
  synchronized void put(Optional<String> tag, ParsedManifest m) {
    long w = weigh(m);
    if (maxEntries == 0 || w > maxWeight) {
      return;
    }
    ParsedManifest old = byDigest.put(m.digest(), m);
    weight += w - (old == null ? 0 : weigh(old));
    tag.ifPresent(t -> tags.put(t, m.digest()));
    Iterator<Map.Entry<Digest, ParsedManifest>> eldest = byDigest.entrySet().iterator();
    while ((byDigest.size() > maxEntries || weight > maxWeight) && eldest.hasNext()) {
      weight -= weigh(eldest.next().getValue());
      eldest.remove();
    }
    // A tag hint costs a few dozen bytes; bound the hints by the same count.
    Iterator<String> oldestTag = tags.keySet().iterator();
    while (tags.size() > Math.max(maxEntries, 1) && oldestTag.hasNext()) {
      oldestTag.next();
      oldestTag.remove();
    }
  }

  /** Returns how many manifests are cached. */
  synchronized int size() {
    return byDigest.size();
  }

  /** Returns the estimated heap the cached manifests hold, in bytes. */
  synchronized long weight() {
    return weight;
  }
}
