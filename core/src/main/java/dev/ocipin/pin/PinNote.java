package dev.ocipin.pin;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A reference ocipin found and left alone, and why: a build stage, {@code scratch}, a templated
 * value, a tag that has drifted while {@code --update} was not asked for, or a failure.
 *
 * @param file the file
 * @param line the 1-based line, or 0 for the whole file
 * @param reference the reference as written, or empty for the whole file
 * @param note why it was left alone
 */
public record PinNote(Path file, int line, String reference, String note) {
  /** Checks that no part is null. */
  public PinNote {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(note, "note");
  }

  /** Returns {@code file:line: reference: note}. */
  @Override
  public String toString() {
    return file
        + (line > 0 ? ":" + line : "")
        + ": "
        + (reference.isEmpty() ? "" : reference + ": ")
        + note;
  }
}
