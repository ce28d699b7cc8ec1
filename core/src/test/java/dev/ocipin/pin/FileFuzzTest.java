package dev.ocipin.pin;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.Map;

/**
 * Fuzz targets for the file scanners: any text gives a scan (sites, notes, refusals), never an
 * exception; every site's span lies inside the text and holds what it claims. Seeds live in
 * src/test/resources/dev/ocipin/pin/FileFuzzTestInputs.
 */
class FileFuzzTest {
  private static final Path FILE = Path.of("Dockerfile");

  @FuzzTest(maxDuration = "10s")
  void dockerfile(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    check(text, DockerfileScanner.scan(FILE, text, Map.of("BUILD_ARG", "alpine:3.19")));
  }

  @FuzzTest(maxDuration = "10s")
  void yaml(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    check(text, YamlScanner.scan(Path.of("compose.yaml"), text));
  }

  private static void check(String text, Scan scan) {
    for (Site s : scan.sites()) {
      Span at = s.at(); // every rewritable site knows where it stands
      if (at.end() > text.length()) {
        throw new AssertionError("span out of the text: " + s);
      }
      if (!text.substring(at.start(), at.end()).equals(s.written())) {
        throw new AssertionError("span does not hold what was written: " + s);
      }
    }
  }
}
