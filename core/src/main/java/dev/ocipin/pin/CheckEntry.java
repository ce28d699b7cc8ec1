package dev.ocipin.pin;

import dev.ocipin.Digest;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The drift status of one reference in one file.
 *
 * @param file the file
 * @param line the 1-based line
 * @param reference the reference as resolved (after ARG expansion)
 * @param status what the check found
 * @param pinned the digest written in the file; empty when unpinned
 * @param current the digest the tag resolves to now; empty when unknown
 * @param detail a sentence for the reader: what changed, or why it failed
 */
public record CheckEntry(
    Path file,
    int line,
    String reference,
    Status status,
    Optional<Digest> pinned,
    Optional<Digest> current,
    String detail) {

  /** What a check found for a reference. */
  public enum Status {
    /** The pinned digest is what the tag resolves to now. */
    PINNED_CURRENT("pinned-current"),
    /** The tag has moved since it was pinned. */
    DRIFTED("drifted"),
    /** The reference has no digest. */
    UNPINNED("unpinned"),
    /** The registry has no such tag or repository. */
    NOT_FOUND("not-found"),
    /** The reference could not be checked; the detail says why. */
    ERROR("error");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    /** Returns the label used in reports, such as {@code pinned-current}. */
    public String label() {
      return label;
    }
  }

  /** Checks that the required parts are present. */
  public CheckEntry {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(pinned, "pinned");
    Objects.requireNonNull(current, "current");
    Objects.requireNonNull(detail, "detail");
  }

  /** Returns {@code file:line: status reference (detail)}. */
  @Override
  public String toString() {
    return file
        + ":"
        + line
        + ": "
        + status.label()
        + " "
        + reference
        + (detail.isEmpty() ? "" : " (" + detail + ")");
  }
}
