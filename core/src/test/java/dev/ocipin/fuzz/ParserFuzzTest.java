package dev.ocipin.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ocipin.ImageReference;
import dev.ocipin.InvalidReferenceException;
import dev.ocipin.Platform;
import dev.ocipin.lock.ImageLock;
import dev.ocipin.lock.LockFileException;
import dev.ocipin.model.InvalidManifestException;
import dev.ocipin.model.Manifests;

/**
 * Fuzz targets: any input gives a result or the documented exception, never another exception, a
 * hang or an out-of-memory error. {@code ./mvnw test} replays the committed seed corpus
 * (src/test/resources/dev/ocipin/fuzz/ParserFuzzTestInputs); {@code JAZZER_FUZZ=1} fuzzes one
 * target (see the README).
 */
class ParserFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void imageReference(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    try {
      ImageReference ref = ImageReference.parse(text);
      // A parsed reference prints in a form that parses back to itself.
      if (!ImageReference.parse(ref.toString()).equals(ref)) {
        throw new AssertionError("canonical form does not round-trip: " + ref);
      }
    } catch (InvalidReferenceException expected) {
      // documented
    }
  }

  @FuzzTest(maxDuration = "10s")
  void platform(FuzzedDataProvider data) {
    String text = data.consumeString(200);
    String other = data.consumeRemainingAsString();
    try {
      Platform p = Platform.parse(text);
      p.rank(Platform.of(other, other));
      p.normalize().toString();
    } catch (InvalidReferenceException expected) {
      // documented
    }
  }

  @FuzzTest(maxDuration = "10s")
  void lockFile(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    try {
      ImageLock lock = ImageLock.parse(text, "ocipin.lock");
      // What parses prints in a form that parses back to the same lock.
      if (!ImageLock.parse(lock.format(), "ocipin.lock").equals(lock)) {
        throw new AssertionError("the lock does not round-trip: " + lock);
      }
    } catch (LockFileException expected) {
      // documented
    }
  }

  @FuzzTest(maxDuration = "10s")
  void manifest(FuzzedDataProvider data) {
    String contentType = data.consumeString(80);
    byte[] body = data.consumeRemainingAsBytes();
    try {
      Manifests.parse(body, contentType.isEmpty() ? null : contentType);
    } catch (InvalidManifestException expected) {
      // documented (UnsupportedManifestException is a subclass)
    }
  }
}
