package dev.ocipin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.it.Fixtures;
import dev.ocipin.it.LayoutWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCI layout shipped in {@code examples/layout}, which the README's first command inspects
 * offline: a Docker-Hub-shaped {@code ruby:3.3.0-slim} index of 8 platform images and 8 attestation
 * manifests, with configs and tiny layers. This test writes it again and compares every file, so
 * the shipped bytes are reproducible; run it with {@code -Docipin.writeLayout=true} to rewrite
 * them.
 */
class ShippedLayoutTest {
  private static final Path SHIPPED = Path.of("layout");

  static Path write(Path dir) throws Exception {
    LayoutWriter w = new LayoutWriter(dir, "docker.io");
    Fixtures.dockerHubIndex(w, "library/ruby", "3.3.0-slim", "ocipin example");
    return w.finish();
  }

  @Test
  void shippedLayout_isWhatTheWriterWrites(@TempDir Path tmp) throws Exception {
    if (Boolean.getBoolean("ocipin.writeLayout")) {
      write(SHIPPED);
    }
    Path fresh = write(tmp.resolve("layout"));
    List<Path> expected = files(fresh);
    assertEquals(expected, files(SHIPPED), "the files of " + SHIPPED.toAbsolutePath());
    for (Path p : expected) {
      assertTrue(
          java.util.Arrays.equals(
              Files.readAllBytes(fresh.resolve(p)), Files.readAllBytes(SHIPPED.resolve(p))),
          p + " differs; rewrite with -Docipin.writeLayout=true");
    }
  }

  @Test
  void readmeMainJob_inspectsTheShippedLayoutOffline() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new Cli(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .run(
                new String[] {"inspect", "--source", "oci-layout://" + SHIPPED, "ruby:3.3.0-slim"});
    String o = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    assertTrue(
        o.startsWith(
            "Name:   docker.io/library/ruby:3.3.0-slim"
                + " (Type: application/vnd.oci.image.index.v1+json)\n"),
        o);
    assertTrue(o.contains(" * Contains 16 manifest references (8 images, 8 attestations):"), o);
    assertTrue(o.contains("FROM docker.io/library/ruby:3.3.0-slim@sha256:"), o);

    out.reset();
    code =
        new Cli(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .run(new String[] {"inspect", "oci-layout://" + SHIPPED + ":3.3.0-slim"});
    assertEquals(0, code);
    assertTrue(
        out.toString(StandardCharsets.UTF_8)
            .contains("--build-context NAME=oci-layout://layout:3.3.0-slim@sha256:"),
        out.toString(StandardCharsets.UTF_8));
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .map(root::relativize)
          .sorted()
          .collect(Collectors.toList());
    }
  }
}
