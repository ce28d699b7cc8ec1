package dev.ocipin.cli;

import dev.ocipin.registry.RequestEvent;
import dev.ocipin.registry.RequestListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Tells the launcher whether a run spoke TLS: it keeps one start-up cache for runs that do and one
 * for runs that do not, because a JDK 25 AOT cache loads every class its training run loaded, and
 * TLS is a thousand classes that a plain-HTTP run never needs. The launcher names the file in
 * {@code OCIPIN_CONNECTION_FILE}; the run writes {@code tls} or {@code plain} there when it differs
 * from what the file says. Without that variable nothing is recorded.
 */
final class ConnectionMemo implements RequestListener {
  private final Path file;
  private volatile boolean tls;

  private ConnectionMemo(Path file) {
    this.file = file;
  }

  /** The memo the launcher asked for, or null when not started by the launcher. */
  static @Nullable ConnectionMemo fromEnvironment() {
    String f = System.getenv("OCIPIN_CONNECTION_FILE");
    return f == null || f.isEmpty() ? null : new ConnectionMemo(Path.of(f));
  }

  @Override
  public void onRequest(RequestEvent event) {
    if ("https".equals(event.uri().getScheme())) {
      tls = true;
    }
  }

  /**
   * Writes what this run spoke, if the file says otherwise; a file that cannot be written is left.
   */
  void save() {
    String kind = tls ? "tls" : "plain";
    try {
      if (Files.isRegularFile(file)
          && Files.readString(file, StandardCharsets.UTF_8).strip().equals(kind)) {
        return;
      }
      Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".conn", ".tmp");
      Files.writeString(tmp, kind + "\n", StandardCharsets.UTF_8);
      Files.move(
          tmp,
          file,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      // Only a start-up hint: the next run starts from the other cache, no worse than before.
    }
  }
}
