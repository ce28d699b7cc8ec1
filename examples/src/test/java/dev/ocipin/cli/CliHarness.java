package dev.ocipin.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the command line in-process with the default credential chain, keeping what it printed. */
final class CliHarness {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** Runs {@code args}, after forgetting what earlier runs printed. */
  int run(String... args) {
    out.reset();
    err.reset();
    return new Cli(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args);
  }

  /** What the last run printed on stdout. */
  String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  /** What the last run printed on stderr. */
  String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /**
   * Returns {@code args} with loopback named insecure, as a user of a plain-HTTP registry would run
   * them: MockWebServer answers no TLS question the way a real plain server does (TlsTest and
   * TlsRegistryIT cover that). Arguments that start with an option are returned as given.
   */
  static String[] plainLoopback(String... args) {
    if (args.length == 0 || args[0].startsWith("-")) {
      return args;
    }
    String[] with = new String[args.length + 2];
    with[0] = "--insecure-registry";
    with[1] = "127.0.0.0/8";
    System.arraycopy(args, 0, with, 2, args.length);
    return with;
  }
}
