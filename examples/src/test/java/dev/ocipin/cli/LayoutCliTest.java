package dev.ocipin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.it.Fixtures;
import dev.ocipin.it.LayoutWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The air-gapped questions, asked of an OCI layout through the command line, with no network. */
class LayoutCliTest {
  @TempDir Path dir;
  private final CliHarness cli = new CliHarness();

  @Test
  void checkSource_presentAndMatching_drifted_missing() throws Exception {
    LayoutWriter old = new LayoutWriter(dir.resolve("old"), "docker.io");
    Fixtures.Pushed monday = Fixtures.dockerHubIndex(old, "library/ruby", "3.3.0-slim", "monday");
    old.finish();
    LayoutWriter w = new LayoutWriter(dir.resolve("layout"), "docker.io");
    Fixtures.Pushed tuesday = Fixtures.dockerHubIndex(w, "library/ruby", "3.3.0-slim", "tuesday");
    Fixtures.Pushed alpine = Fixtures.dockerHubIndex(w, "library/alpine", "3.19", "a");
    String source = "oci-layout://" + w.finish();

    Path project = Files.createDirectories(dir.resolve("project"));
    Files.writeString(project.resolve("Dockerfile"), "FROM alpine:3.19@" + alpine.index() + "\n");
    assertEquals(0, cli.run("check", "--source", source, project.toString()), cli.stdout());
    assertTrue(cli.stdout().contains("pinned-current alpine:3.19@" + alpine.index()), cli.stdout());

    Files.writeString(
        project.resolve("app.Dockerfile"),
        "FROM ruby:3.3.0-slim@" + monday.index() + "\nFROM python:3.12\n");
    assertEquals(1, cli.run("check", "--source", source, project.toString()));
    String o = cli.stdout();
    assertTrue(o.contains("drifted ruby:3.3.0-slim@" + monday.index()), o);
    assertTrue(o.contains(tuesday.index().toString()), o);
    assertTrue(
        o.contains("not-found python:3.12 (docker.io/library/python:3.12: not found in "), o);

    // Pinning from the layout writes the layout's digests, offline.
    Path pinMe = Files.writeString(dir.resolve("Dockerfile"), "FROM ruby:3.3.0-slim\n");
    assertEquals(
        0,
        cli.run("pin", "--registry-mirror", "docker.io=" + source, pinMe.toString()),
        cli.stderr());
    assertEquals("FROM ruby:3.3.0-slim@" + tuesday.index() + "\n", Files.readString(pinMe));

    Files.writeString(pinMe, "FROM python:3.12\n");
    assertEquals(1, cli.run("pin", "--source", source, pinMe.toString()));
    assertTrue(cli.stderr().contains("not found"), cli.stderr());
    assertEquals("FROM python:3.12\n", Files.readString(pinMe), "nothing written");

    assertEquals(2, cli.run("digest", "--source", "/srv/not-a-layout-uri", "ruby:3.3.0-slim"));
    assertTrue(
        cli.stderr().contains("--source takes an OCI layout, oci-layout://DIR"), cli.stderr());
  }
}
