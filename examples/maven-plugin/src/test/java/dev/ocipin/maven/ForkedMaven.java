package dev.ocipin.maven;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a real Maven build in a process of its own: the Maven that runs this build ({@code
 * maven.home}), reading the plugin from {@code target/it-repo} (which maven-invoker-plugin's {@code
 * install} fills) with the build's local repository behind it, a settings file of the test's own,
 * and a home directory of its own so that no docker config or cache of the machine's is read.
 */
final class ForkedMaven {
  /** What a build printed, and how it exited. */
  record Result(int exit, String output) {
    Result expectSuccess() {
      assertTrue(exit == 0, "the build failed (exit " + exit + "):\n" + output);
      return this;
    }

    Result expectFailure() {
      assertTrue(exit != 0, "the build passed, but should have failed:\n" + output);
      return this;
    }
  }

  private final Path home;
  private Path settings;

  ForkedMaven(Path home) throws IOException {
    this.home = Files.createDirectories(home);
    this.settings = home.resolve("settings.xml");
    Files.writeString(settings, "<settings/>\n");
  }

  /** Builds with {@code file} as the user settings from now on. */
  ForkedMaven settings(Path file) {
    this.settings = file;
    return this;
  }

  /** The home directory the builds see ({@code HOME} and {@code user.home}). */
  Path home() {
    return home;
  }

  /** Copies the sample project {@code name} to {@code dir}, filling in its @...@ values. */
  static Path project(String name, Path dir, Map<String, String> values) throws IOException {
    Path from = Path.of(property("it.projects")).resolve(name);
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path to = dir.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
          continue;
        }
        String text = Files.readString(f);
        text = text.replace("@version@", property("it.plugin.version"));
        for (Map.Entry<String, String> v : values.entrySet()) {
          text = text.replace("@" + v.getKey() + "@", v.getValue());
        }
        Files.writeString(to, text);
      }
    }
    return dir;
  }

  /** Runs {@code mvn ARGS} in {@code project} and returns what it printed. */
  Result run(Path project, String... args) throws IOException, InterruptedException {
    Path mvn = Path.of(property("it.maven.home"), "bin", "mvn");
    List<String> command = new ArrayList<>();
    command.add(mvn.toString());
    command.add("-B");
    command.add("-Dstyle.color=never");
    command.add("-s");
    command.add(settings.toString());
    command.add("-Dmaven.repo.local=" + property("it.repo"));
    command.add("-Dmaven.repo.local.tail=" + property("it.repo.tail"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(project.toFile());
    Map<String, String> env = pb.environment();
    env.put("HOME", home.toString());
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("MAVEN_OPTS", "-Xmx512m -Duser.home=" + home + " -XX:TieredStopAtLevel=1");
    env.remove("MAVEN_ARGS");
    env.remove("DOCKER_CONFIG");
    env.remove("REGISTRY_AUTH_FILE");
    Path log = Files.createTempFile(home, "mvn", ".log");
    Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly().waitFor();
      throw new IOException("mvn did not finish in 10 minutes: " + Files.readString(log));
    }
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  private static String property(String name) {
    String v = System.getProperty(name);
    if (v == null || v.isEmpty()) {
      throw new IllegalStateException(
          name + " is not set: run the plugin's integration tests through Maven (./mvnw verify)");
    }
    return v;
  }
}
