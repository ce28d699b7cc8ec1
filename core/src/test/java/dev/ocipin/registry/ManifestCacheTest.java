package dev.ocipin.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.model.ImageIndex;
import dev.ocipin.model.InvalidManifestException;
import dev.ocipin.model.Manifests;
import dev.ocipin.model.MediaType;
import dev.ocipin.model.ParsedManifest;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ManifestCacheTest {
  private static ParsedManifest index(String name, int padding) throws InvalidManifestException {
    byte[] body =
        Manifests.toJson(
            ImageIndex.builder()
                .mediaType(MediaType.OCI_INDEX)
                .putAnnotations("name", name)
                .putAnnotations("padding", "x".repeat(padding))
                .build());
    return Manifests.parse(body, MediaType.OCI_INDEX.toString());
  }

  @Test
  void boundByWeight_evictsLeastRecentlyUsed() throws Exception {
    ParsedManifest a = index("a", 1000);
    long w = ManifestCache.weigh(a);
    ManifestCache cache = new ManifestCache(100, 2 * w + 10);
    ParsedManifest b = index("b", 1000);
    ParsedManifest c = index("c", 1000);
    cache.put(Optional.of("r/a:1"), a);
    cache.put(Optional.empty(), b);
    cache.get(a.digest()); // a is now the most recently used
    cache.put(Optional.empty(), c);

    assertTrue(cache.contains(a.digest()));
    assertFalse(cache.contains(b.digest()), "b was the least recently used");
    assertTrue(cache.contains(c.digest()));
    assertEquals(2, cache.size());
    assertTrue(cache.weight() <= 2 * w + 10, "weight " + cache.weight());
    assertEquals(Optional.of(a.digest()), cache.digestOfTag("r/a:1"));
  }

  @Test
  void boundByEntries() throws Exception {
    ManifestCache cache = new ManifestCache(2, Long.MAX_VALUE);
    for (String n : new String[] {"a", "b", "c"}) {
      cache.put(Optional.of("r/" + n + ":1"), index(n, 0));
    }
    assertEquals(2, cache.size());
    assertEquals(Optional.empty(), cache.digestOfTag("r/a:1"), "tag hints are bounded too");
  }

  @Test
  void manifestHeavierThanTheBound_isNotCached_andEvictsNothing() throws Exception {
    ParsedManifest small = index("small", 0);
    ManifestCache cache = new ManifestCache(10, ManifestCache.weigh(small) + 100);
    cache.put(Optional.empty(), small);
    cache.put(Optional.empty(), index("big", 10_000));
    assertEquals(1, cache.size());
    assertTrue(cache.contains(small.digest()));
  }

  @Test
  void samePutTwice_countsItsWeightOnce() throws Exception {
    ParsedManifest a = index("a", 10);
    ManifestCache cache = new ManifestCache(10, Long.MAX_VALUE);
    cache.put(Optional.empty(), a);
    cache.put(Optional.of("r/a:1"), a);
    assertEquals(ManifestCache.weigh(a), cache.weight());
  }

  @Test
  void zeroEntries_cachesNothing() throws Exception {
    ManifestCache cache = new ManifestCache(0, Long.MAX_VALUE);
    cache.put(Optional.of("r/a:1"), index("a", 0));
    assertEquals(0, cache.size());
    assertEquals(Optional.empty(), cache.digestOfTag("r/a:1"));
  }
}
