package dev.ocipin.pin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.Platform;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files: each directory under {@code pin/dockerfiles} holds a {@code Dockerfile}, the {@code
 * expected} result of pinning it (byte for byte), or the expected {@code failure}, plus optional
 * {@code options} and expected {@code notes}.
 */
class DockerfileGoldenTest {
  @TempDir Path work;

  static Stream<String> cases() throws IOException, URISyntaxException {
    Path root = Path.of(DockerfileGoldenTest.class.getResource("/pin/dockerfiles").toURI());
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs
          .map(p -> p.getFileName().toString())
          .sorted()
          .collect(Collectors.toList())
          .stream();
    }
  }

  private static Path dir(String name) throws URISyntaxException {
    return Path.of(DockerfileGoldenTest.class.getResource("/pin/dockerfiles/" + name).toURI());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void pin_matchesGoldenFile(String name) throws Exception {
    Path source = dir(name);
    Path dockerfile = work.resolve("Dockerfile");
    byte[] input = Files.readAllBytes(source.resolve("Dockerfile"));
    Files.write(dockerfile, input);

    Pinner.Builder b = Pinner.builder(FakeRegistry.standard());
    if (Files.exists(source.resolve("options"))) {
      for (String line : Files.readAllLines(source.resolve("options"))) {
        if (line.startsWith("platform=")) {
          b.platform(Platform.parse(line.substring("platform=".length())));
        } else if (line.startsWith("form=")) {
          b.form(ReferenceForm.valueOf(line.substring("form=".length()).toUpperCase()));
        } else if (line.equals("update=true")) {
          b.update(true);
        } else if (line.equals("bare-tagless=true")) {
          b.bareTagless(true);
        } else if (line.startsWith("build-arg ")) {
          String[] kv = line.substring("build-arg ".length()).split("=", 2);
          b.buildArg(kv[0], kv[1]);
        }
      }
    }
    PinPlan plan = b.build().plan(List.of(dockerfile));
    plan.apply();
    byte[] output = Files.readAllBytes(dockerfile);

    if (Files.exists(source.resolve("failure"))) {
      String expected = Files.readString(source.resolve("failure")).strip();
      assertEquals(1, plan.failures().size(), plan.failures().toString());
      assertTrue(plan.failures().get(0).note().contains(expected), plan.failures().toString());
      assertTrue(plan.changes().isEmpty());
      assertEquals(
          new String(input, StandardCharsets.UTF_8),
          new String(output, StandardCharsets.UTF_8),
          "untouched");
    } else {
      assertEquals(List.of(), plan.failures());
      assertEquals(
          Files.readString(source.resolve("expected")), new String(output, StandardCharsets.UTF_8));
      assertEquals(plan.isEmpty(), plan.diff().isEmpty());
    }
    if (Files.exists(source.resolve("notes"))) {
      String notes = plan.notes().toString();
      for (String expected : Files.readAllLines(source.resolve("notes"))) {
        assertTrue(notes.contains(expected), notes + " lacks " + expected);
      }
    }
    // Pinning again changes nothing: the result is a fixed point.
    PinPlan again = b.build().plan(List.of(dockerfile));
    assertTrue(
        again.isEmpty()
            || Files.exists(source.resolve("failure"))
            || name.contains("drifted-without"),
        again.changes().toString());
    assertFalse(output.length == 0);
  }
}
