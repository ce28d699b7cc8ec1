package dev.ocipin.pin;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One edit a {@link PinPlan} will make: the reference as written, and what it becomes.
 *
 * @param file the file
 * @param line the 1-based line
 * @param oldText the reference as written
 * @param newText the reference with its digest
 * @param reason why: "pin index digest", "re-pin: tag moved from sha256:... to sha256:...", ...
 */
public record PinChange(Path file, int line, String oldText, String newText, String reason) {
  /** Checks that no part is null. */
  public PinChange {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(oldText, "oldText");
    Objects.requireNonNull(newText, "newText");
    Objects.requireNonNull(reason, "reason");
  }

  /** Returns {@code file:line: old -> new (reason)}. */
  @Override
  public String toString() {
    return file + ":" + line + ": " + oldText + " -> " + newText + " (" + reason + ")";
  }
}
