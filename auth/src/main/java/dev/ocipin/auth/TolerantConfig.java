package dev.ocipin.auth;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads credential files the way the docker CLI does: a file that is not valid JSON (or cannot be
 * read) gets one warning naming the file, line and column, and then counts as holding no
 * credentials, so the next sources are asked and public images still resolve. Why each file was
 * ignored is kept for the messages of a later refusal.
 *
 * <p>Thread-safe.
 */
final class TolerantConfig {
  private static final System.Logger LOG = System.getLogger("dev.ocipin.auth");

  private final Map<String, String> ignored = new ConcurrentHashMap<>();

  /** Reads {@code path}; empty when it does not exist or cannot be used. */
  Optional<ConfigFile> read(Path path) {
    try {
      return ConfigFile.read(path);
    } catch (CredentialException e) {
      ignore(path.toString(), e);
      return Optional.empty();
    }
  }

  /** Parses {@code json} from {@code origin}; empty when it is not valid. */
  Optional<ConfigFile> parse(byte[] json, String origin) {
    try {
      return Optional.of(ConfigFile.parse(json, origin));
    } catch (CredentialException e) {
      ignore(origin, e);
      return Optional.empty();
    }
  }

  private void ignore(String origin, CredentialException e) {
    // The message names the file and the position, never the content (ConfigFile sees to it).
    if (ignored.put(origin, e.getMessage()) == null) {
      LOG.log(
          Level.WARNING,
          "ignoring {0}; looking for credentials in the other sources",
          e.getMessage());
    }
  }

  /** Returns why {@code origin} was ignored, if it was. */
  Optional<String> whyIgnored(String origin) {
    return Optional.ofNullable(ignored.get(origin));
  }
}
