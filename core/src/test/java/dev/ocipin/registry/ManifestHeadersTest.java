package dev.ocipin.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a HEAD answer's headers describe; anything short of all three means "GET instead". */
class ManifestHeadersTest {
  private static final String DIGEST =
      "sha256:0000000000000000000000000000000000000000000000000000000000000000";
  private static final String ABSENT = "absent";
  private static final String INDEX = "application/vnd.oci.image.index.v1+json";

  @ParameterizedTest(name = "[{0}] [{1}] [{2}] -> {3}")
  @CsvSource(
      delimiter = '|',
      nullValues = "absent",
      value = {
        INDEX + "                 | " + DIGEST + " | 100          | 100",
        INDEX + "; charset=utf-8  | " + DIGEST + " | ' 7 '        | 7",
        "; charset=utf-8          | " + DIGEST + " | 100          | none",
        "''                       | " + DIGEST + " | 100          | none",
        ABSENT + "                | " + DIGEST + " | 100          | none",
        INDEX + "                 | sha256:zz     | 100          | none",
        INDEX + "                 | absent        | 100          | none",
        INDEX + "                 | " + DIGEST + " | not-a-number | none",
        INDEX + "                 | " + DIGEST + " | -5           | none",
        INDEX + "                 | " + DIGEST + " | 99999999999999999999999 | none",
        INDEX + "                 | " + DIGEST + " | absent       | none",
      })
  void headDescriptor(String type, String digest, String length, String expected) {
    Optional<String> got =
        ManifestHeaders.descriptor(
                Optional.ofNullable(type), Optional.ofNullable(digest), Optional.ofNullable(length))
            .map(d -> String.valueOf(d.size()));
    assertEquals(expected, got.orElse("none"));
  }
}
