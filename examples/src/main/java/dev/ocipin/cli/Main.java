package dev.ocipin.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The {@code ocipin} command line: {@code inspect}, {@code digest}, {@code pin} and {@code check};
 * {@code ocipin --help} lists the commands, options and exit codes.
 *
 * <p>Exit codes, the same for every command: 0 done, 1 the answer is no (not found, drifted,
 * unpinned), 2 could not do it (usage, invalid input, unreadable file, registry unreachable or
 * refusing). Each error is one line on stderr, and so is each warning: {@code ocipin: warning:
 * ...}, never a raw {@code java.util.logging} record.
 */
public final class Main {
  private Main() {}

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    oneLineWarnings(err);
    // Let a proxy URL's credentials answer a CONNECT tunnel's 407 with Basic, as curl and docker
    // do; the JDK refuses Basic there unless told otherwise. Only the command line may decide
    // this for its process; an embedding application decides for its own.
    if (System.getProperty("jdk.http.auth.tunneling.disabledSchemes") == null) {
      System.setProperty("jdk.http.auth.tunneling.disabledSchemes", "");
    }
    System.exit(new Cli(out, err).run(args));
  }

  /**
   * Replaces the JDK's two-line log format on the terminal with one line per warning, {@code
   * ocipin: warning: MESSAGE}; below WARNING nothing is printed.
   */
  static void oneLineWarnings(PrintStream err) {
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    root.setLevel(Level.WARNING);
    root.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
              String m = java.text.MessageFormat.format(r.getMessage(), r.getParameters());
              err.println("ocipin: warning: " + m.replace('\n', ' '));
            }
          }

          @Override
          public void flush() {
            err.flush();
          }

          @Override
          public void close() {}
        });
  }
}
