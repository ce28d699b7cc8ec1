package dev.ocipin.auth;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Starts credential helper processes. The default starts them with {@link ProcessBuilder}, with no
 * shell; tests replace it to control what a helper does.
 */
@FunctionalInterface
public interface ProcessLauncher {
  /**
   * Starts {@code command} with exactly {@code environment}. The caller writes to its stdin, reads
   * its stdout and waits for it; stderr is discarded.
   *
   * @throws IOException when the process cannot be started
   */
  Process start(List<String> command, Map<String, String> environment) throws IOException;

  /** Returns the launcher that uses {@link ProcessBuilder}. */
  static ProcessLauncher system() {
    return (command, environment) -> {
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.environment().clear();
      pb.environment().putAll(environment);
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
      return pb.start();
    };
  }
}
