package dev.ocipin.auth.internal;

import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.Map;

/**
 * The home directory as the docker CLI and podman take it: {@code $HOME}, else the JVM's {@code
 * user.home} (which the JVM reads from the password database, not from the environment). CI systems
 * set {@code $HOME} to a directory other than the account's, so following the JVM alone would look
 * where {@code docker login} never wrote.
 *
 * @param path the directory
 * @param origin where it came from, for messages ("/home/ci (from $HOME)")
 */
public record Home(Path path, String origin) {

  /** Returns the home directory for {@code env}, with paths on {@code fs}. */
  public static Home of(Map<String, String> env, FileSystem fs) {
    String envHome = env.get("HOME");
    if (envHome != null && !envHome.isBlank()) {
      return new Home(fs.getPath(envHome), envHome + " (from $HOME)");
    }
    String userHome = System.getProperty("user.home", ".");
    return new Home(
        fs.getPath(userHome), userHome + " (from the JVM's user.home, as $HOME is not set)");
  }
}
