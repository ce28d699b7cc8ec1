package dev.ocipin.registry;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for the {@code WWW-Authenticate} parser, next to the package-private class it tests.
 * {@code ./mvnw test} replays the committed seed corpus
 * (src/test/resources/dev/ocipin/registry/ChallengeFuzzTestInputs); {@code JAZZER_FUZZ=1} fuzzes.
 */
class ChallengeFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void challenge(FuzzedDataProvider data) {
    // Never throws: a malformed header yields fewer or emptier challenges.
    for (Challenge c : Challenge.parse(data.consumeRemainingAsString())) {
      c.param("realm");
    }
  }
}
