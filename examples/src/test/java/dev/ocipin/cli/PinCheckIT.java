package dev.ocipin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.it.Fixtures;
import dev.ocipin.it.Pusher;
import dev.ocipin.it.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pinning workflow end to end, through the command line, against the real distribution
 * registry: pin a Dockerfile, rebuild the tag upstream, see check report drift, re-pin with
 * --update, and see check pass.
 */
class PinCheckIT {
  @TempDir Path work;

  private final CliHarness cli = new CliHarness();

  @Test
  void pin_drift_update_check() throws Exception {
    try (RegistryServer registry =
        RegistryServer.anonymous(Files.createDirectories(work.resolve("registry")))) {
      Pusher pusher = new Pusher(registry.host(), repo -> null);
      Fixtures.Pushed first =
          Fixtures.dockerHubIndex(pusher, "library/ruby", "3.3.0-slim", "monday");
      String ref = registry.host() + "/library/ruby:3.3.0-slim";
      Path project = Files.createDirectories(work.resolve("project"));
      Path dockerfile = project.resolve("Dockerfile");
      Files.writeString(
          dockerfile,
          "# syntax=docker/dockerfile:1\r\nFROM " + ref + " AS base\r\nRUN ruby -v\r\n");

      assertEquals(1, cli.run("check", project.toString()), "unpinned fails the gate");
      assertTrue(cli.stdout().contains("unpinned " + ref), cli.stdout());

      assertEquals(0, cli.run("pin", "--dry-run", dockerfile.toString()));
      assertTrue(
          cli.stdout().contains("+FROM " + ref + "@" + first.index() + " AS base"), cli.stdout());
      assertTrue(
          Files.readString(dockerfile).contains("FROM " + ref + " AS base"),
          "dry run writes nothing");

      assertEquals(0, cli.run("pin", project.toString()));
      assertEquals(
          "# syntax=docker/dockerfile:1\r\nFROM "
              + ref
              + "@"
              + first.index()
              + " AS base\r\nRUN ruby -v\r\n",
          Files.readString(dockerfile));
      assertEquals(0, cli.run("check", project.toString()));
      assertTrue(cli.stdout().contains("pinned-current " + ref), cli.stdout());

      // Upstream rebuilds the tag, as a security fix would.
      Fixtures.Pushed second =
          Fixtures.dockerHubIndex(pusher, "library/ruby", "3.3.0-slim", "tuesday");
      assertEquals(1, cli.run("check", "--json", dockerfile.toString()));
      assertTrue(cli.stdout().contains("\"status\" : \"drifted\""), cli.stdout());
      assertTrue(cli.stdout().contains("\"current\" : \"" + second.index() + "\""), cli.stdout());

      assertEquals(0, cli.run("pin", dockerfile.toString()));
      assertTrue(cli.stderr().contains("use --update to re-pin"));
      assertTrue(
          Files.readString(dockerfile).contains(first.index().toString()),
          "not re-pinned without --update");

      assertEquals(0, cli.run("pin", "--update", dockerfile.toString()));
      assertEquals(
          "# syntax=docker/dockerfile:1\r\nFROM "
              + ref
              + "@"
              + second.index()
              + " AS base\r\nRUN ruby -v\r\n",
          Files.readString(dockerfile));
      assertEquals(0, cli.run("check", dockerfile.toString()));

      // A per-platform pin stays per-platform across a rebuild.
      Path perPlatform = project.resolve("arm.Dockerfile");
      Files.writeString(perPlatform, "FROM " + ref + "\n");
      assertEquals(0, cli.run("pin", "--platform", "linux/arm64", perPlatform.toString()));
      assertEquals(
          "FROM " + ref + "@" + second.children().get("linux/arm64/v8") + "\n",
          Files.readString(perPlatform));
      Fixtures.Pushed third =
          Fixtures.dockerHubIndex(pusher, "library/ruby", "3.3.0-slim", "wednesday");
      assertEquals(0, cli.run("pin", "--update", perPlatform.toString()));
      assertEquals(
          "FROM " + ref + "@" + third.children().get("linux/arm64/v8") + "\n",
          Files.readString(perPlatform));

      assertEquals(2, cli.run("check", project.resolve("missing").toString()));
    }
  }
}
