package dev.ocipin.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The {@code ocipin} command line.
 *
 * <pre>
 * ocipin inspect REF [--json]                 what the tag points to, and the line to pin it
 * ocipin digest REF [--platform P] [--json]   the digest only (HEAD; no pull counted)
 * options: --insecure-registry HOST (repeatable)
 * </pre>
 *
 * <p>Exit codes: 0 on success, 1 when the reference is not found, 2 on usage or other errors. Each
 * error is one line on stderr.
 */
public final class Main {
  private Main() {}

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    System.exit(new Cli(out, err).run(args));
  }
}
