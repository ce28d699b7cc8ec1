package dev.ocipin.pin;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A reference ocipin found and left alone, or a file it could not pin, and why. The {@link Kind}
 * says why for programs (filter on it, never on the wording); the note says it for people.
 *
 * @param file the file
 * @param line the 1-based line, or 0 for the whole file
 * @param reference the reference as written, or empty for the whole file
 * @param kind why, as a value
 * @param note why, as a sentence
 */
public record PinNote(Path file, int line, String reference, Kind kind, String note) {
  /** Why a reference was left alone, or a file was not pinned. */
  public enum Kind {
    /** A FROM or {@code --from} that names a build stage, not an image. */
    BUILD_STAGE,
    /** {@code FROM scratch}: an empty image, nothing to pin. */
    SCRATCH,
    /** A YAML value filled in by a template ({@code ${...}}, <code>{{...}}</code>). */
    TEMPLATED,
    /**
     * A reference that uses a variable with no value (an ARG without default, a build platform).
     */
    UNSET_VARIABLE,
    /** A reference written across a line continuation, which cannot be rewritten in place. */
    SPLIT_ACROSS_LINES,
    /** A YAML value written as a block or escaped scalar, which cannot be rewritten in place. */
    BLOCK_SCALAR,
    /** A reference built from variables: checked, but a digest written there could go stale. */
    BUILT_FROM_VARIABLES,
    /** An ARG whose value comes from a build arg: ocipin pins only what the file says. */
    SET_BY_BUILD_ARG,
    /** An ARG whose default cannot be rewritten in place. */
    NOT_REWRITABLE,
    /** A {@code --platform} that is not a platform. */
    INVALID_PLATFORM,
    /** A FROM without an image. */
    NO_IMAGE,
    /** A compose service's {@code image:} next to {@code build:}: the image built, not pulled. */
    BUILT_HERE,
    /** A value where an image belongs that is not an image reference. */
    NOT_A_REFERENCE,
    /** A pinned reference whose tag has moved, left as it is without {@code update}. */
    DRIFTED_NOT_UPDATED,
    /** A file with a reference the registry does not have; it is left untouched. */
    NOT_FOUND,
    /** A Helm chart's templates, which are not YAML until rendered: one note per chart. */
    HELM_TEMPLATE,
    /** A file that could not be read, parsed or pinned; it is left untouched. */
    FILE_FAILURE
  }

  /** Checks that no part is null. */
  public PinNote {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(note, "note");
  }

  /**
   * Returns whether the note is about a reference a person would pin that ocipin could not: built
   * from variables, using an unset variable, split across lines, or written where it cannot be
   * rewritten. The command line's {@code pin} exits 1 when any is left.
   */
  public boolean leavesUnpinned() {
    return kind == Kind.BUILT_FROM_VARIABLES
        || kind == Kind.UNSET_VARIABLE
        || kind == Kind.SPLIT_ACROSS_LINES
        || kind == Kind.NOT_REWRITABLE
        || kind == Kind.BLOCK_SCALAR;
  }

  /** Returns whether the note is routine (a build stage, scratch), not worth telling a user. */
  public boolean isRoutine() {
    return kind == Kind.BUILD_STAGE || kind == Kind.SCRATCH;
  }

  /**
   * Counts {@code notes} by kind, for a summary: {@code 3 skipped (2 build stage, 1 templated)}, or
   * {@code 0 skipped}.
   */
  static String countByKind(java.util.Collection<PinNote> notes) {
    java.util.Map<Kind, Integer> counts = new java.util.TreeMap<>();
    notes.forEach(n -> counts.merge(n.kind(), 1, Integer::sum));
    StringBuilder reasons = new StringBuilder();
    counts.forEach(
        (kind, count) ->
            reasons
                .append(reasons.length() == 0 ? "" : ", ")
                .append(count)
                .append(' ')
                .append(kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')));
    return notes.size() + " skipped" + (notes.isEmpty() ? "" : " (" + reasons + ")");
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
