package dev.ocipin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher, examples/target/ocipin, as users run it: on the JDK running the tests (17 here),
 * with an unwritable cache directory, and on JDK 25 where it builds an AOT cache on the first run
 * and uses it after, also when two cold runs start at once. Each run inspects the shipped layout.
 */
class LauncherIT {
  private static final Path LAUNCHER = Path.of("target", "ocipin").toAbsolutePath();
  private static final String LAYOUT = "oci-layout://" + Path.of("layout").toAbsolutePath();

  @TempDir Path dir;

  private record Run(int status, String out, String err) {}

  private Run run(Map<String, String> env, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    p.getOutputStream().close();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the launcher finished");
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private Map<String, String> env(Path javaHome, Path cache) {
    return Map.of("JAVA_HOME", javaHome.toString(), "XDG_CACHE_HOME", cache.toString());
  }

  private static void assertInspected(Run r) {
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("FROM docker.io/library/ruby:3.3.0-slim@sha256:"), r.out());
    assertEquals("", r.err(), "nothing but the answer");
  }

  @Test
  void theTestsJdk_withItsFlags_andOptionsPassedThrough() throws Exception {
    Path javaHome = Path.of(System.getProperty("java.home"));
    Map<String, String> env = new java.util.HashMap<>(env(javaHome, dir.resolve("cache")));
    Run version = run(env, "--version");
    assertEquals(0, version.status());
    String feature = System.getProperty("java.specification.version");
    assertTrue(version.out().startsWith("ocipin "), version.out());
    assertTrue(
        version.out().contains("start: ")
            && (Integer.parseInt(feature) >= 19
                || version.out().contains("plain JVM (JDK " + feature)),
        version.out());
    assertInspected(run(env, "inspect", "--source", LAYOUT, "ruby:3.3.0-slim"));

    env.put("OCIPIN_JAVA_OPTS", "-XX:+PrintCommandLineFlags");
    Run flags = run(env, "--version");
    assertTrue(
        flags.out().contains("-XX:TieredStopAtLevel=1") && flags.out().contains("-XX:+UseSerialGC"),
        flags.out());
  }

  @Test
  void unwritableCacheDirectory_isSkippedSilently() throws Exception {
    Path javaHome = jdk25().orElse(Path.of(System.getProperty("java.home")));
    Path readOnly = Files.createDirectories(dir.resolve("ro"));
    Path blocker = Files.writeString(readOnly.resolve("file"), "not a directory");
    Map<String, String> env = env(javaHome, blocker); // mkdir -p FILE/ocipin fails
    assertInspected(run(env, "inspect", "--source", LAYOUT, "ruby:3.3.0-slim"));
    assertTrue(run(env, "--version").out().contains("start: plain JVM"));
  }

  @Test
  void jdk25_aotCache_createdOnce_thenUsed_evenWhenTwoColdRunsStartAtOnce() throws Exception {
    Optional<Path> jdk25 = jdk25();
    Assumptions.assumeTrue(jdk25.isPresent(), "no JDK 25 under /usr/lib/jvm");
    Path cache = dir.resolve("cache");
    Map<String, String> env = env(jdk25.get(), cache);

    ProcessBuilder[] both = new ProcessBuilder[2];
    Process[] started = new Process[2];
    Path[] outs = new Path[2];
    for (int i = 0; i < 2; i++) {
      outs[i] = dir.resolve("cold" + i + ".txt");
      both[i] =
          new ProcessBuilder(LAUNCHER.toString(), "inspect", "--source", LAYOUT, "ruby:3.3.0-slim")
              .redirectOutput(outs[i].toFile())
              .redirectError(dir.resolve("cold-err" + i + ".txt").toFile());
      both[i].environment().putAll(env);
    }
    started[0] = both[0].start();
    started[1] = both[1].start();
    for (int i = 0; i < 2; i++) {
      assertTrue(started[i].waitFor(120, TimeUnit.SECONDS));
      assertEquals(0, started[i].exitValue());
      String out = Files.readString(outs[i]);
      // Only the answer: the JVM's "AOTConfiguration recorded" stays off stdout.
      assertTrue(out.startsWith("Name:   docker.io/library/ruby:3.3.0-slim "), out);
      assertTrue(out.contains("FROM docker.io/library/ruby:3.3.0-slim@"), out);
      assertEquals("", Files.readString(dir.resolve("cold-err" + i + ".txt")));
    }
    Path ocipinCache = cache.resolve("ocipin");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline
        && !(aot(ocipinCache).size() == 1 && tmp(ocipinCache).isEmpty())) {
      Thread.sleep(200); // the cache is made in the background after a cold run
    }
    assertEquals(1, aot(ocipinCache).size(), String.valueOf(list(ocipinCache)));
    assertEquals(List.of(), tmp(ocipinCache), "no half-written files are left");

    // A layout needs no TLS: the cache is the one for runs without it, and the launcher remembers
    // that docker.io (the registry the reference names) was answered without TLS.
    Path made = aot(ocipinCache).get(0);
    assertTrue(made.toString().endsWith("-plain.aot"), made.toString());
    assertTrue(
        made.startsWith(ocipinCache.resolve("jars" + LAUNCHER.getParent())),
        "kept under the jar's directory: " + made);
    assertEquals("plain\n", Files.readString(ocipinCache.resolve("connections/docker.io")));
    Run warm = run(env, "--version", "inspect", "--source", LAYOUT, "ruby:3.3.0-slim");
    assertTrue(warm.out().contains("start: AOT cache " + aot(ocipinCache).get(0)), warm.out());
    // A registry not yet seen is taken to speak TLS, whose cache a first such run makes.
    Run other = run(env, "--version", "digest", "ghcr.io/team/app:1");
    assertTrue(other.out().contains("start: plain JVM; an AOT cache is made by"), other.out());
    assertInspected(run(env, "inspect", "--source", LAYOUT, "ruby:3.3.0-slim"));
  }

  /**
   * The JDK 19 to 24 path, a CDS archive the JVM writes at the first run's exit, taken on JDK 25
   * with OCIPIN_START_CACHE=cds (no JDK 19 to 24 is installed here); and =none, no cache.
   */
  @Test
  void cdsArchive_writtenAtTheFirstRunsExit_thenUsed_andNoneMeansNone() throws Exception {
    Optional<Path> jdk25 = jdk25();
    Assumptions.assumeTrue(jdk25.isPresent(), "no JDK 25 under /usr/lib/jvm");
    Path cache = dir.resolve("cache");
    Map<String, String> env = new java.util.HashMap<>(env(jdk25.get(), cache));
    env.put("OCIPIN_START_CACHE", "cds");
    Run cold = run(env, "inspect", "--source", LAYOUT, "ruby:3.3.0-slim");
    assertInspected(cold);
    assertEquals("", cold.err(), "the JVM's archive messages stay quiet");
    Path ocipinCache = cache.resolve("ocipin");
    List<Path> jsa =
        list(ocipinCache).stream()
            .filter(p -> p.toString().endsWith("-plain.jsa"))
            .collect(Collectors.toList());
    assertEquals(1, jsa.size(), String.valueOf(list(ocipinCache)));
    assertEquals(List.of(), tmp(ocipinCache), "written under a temporary name, then renamed");
    Run warm = run(env, "--version", "inspect", "--source", LAYOUT, "ruby:3.3.0-slim");
    assertTrue(warm.out().contains("start: CDS archive " + jsa.get(0)), warm.out());
    assertInspected(run(env, "inspect", "--source", LAYOUT, "ruby:3.3.0-slim"));

    env.put("OCIPIN_START_CACHE", "none");
    Run none = run(env, "--version", "inspect", "--source", LAYOUT, "ruby:3.3.0-slim");
    assertTrue(none.out().contains("start: plain JVM (JDK 25"), none.out());
  }

  private static Optional<Path> jdk25() throws Exception {
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(jvms)) {
      return s.filter(p -> p.getFileName().toString().matches(".*-2[5-9]-.*|.*-2[5-9]"))
          .filter(p -> Files.isExecutable(p.resolve("bin").resolve("java")))
          .sorted()
          .findFirst();
    }
  }

  /** Every file under {@code d}: the caches live under a directory named by the jar's path. */
  private static List<Path> list(Path d) throws Exception {
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(d)) {
      return s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
    }
  }

  private static List<Path> aot(Path d) throws Exception {
    return list(d).stream().filter(p -> p.toString().endsWith(".aot")).collect(Collectors.toList());
  }

  private static List<Path> tmp(Path d) throws Exception {
    return list(d).stream().filter(p -> p.toString().contains(".tmp")).collect(Collectors.toList());
  }
}
