package dev.ocipin.pin;

/** How a pinned reference is written. */
public enum ReferenceForm {
  /**
   * Keeps the reference as it is written, such as {@code registry.docker.com/library/ruby:3.3}, and
   * only adds or replaces the digest. The default.
   */
  KEEP,
  /** Writes the short form Docker prints: {@code ruby:3.3.0-slim@sha256:...}. */
  FAMILIAR,
  /** Writes the canonical form: {@code docker.io/library/ruby:3.3.0-slim@sha256:...}. */
  CANONICAL;

  /**
   * Parses a form's name as build tools write it: {@code keep}, {@code familiar} or {@code
   * canonical} (any case, surrounding blanks ignored).
   *
   * @throws IllegalArgumentException naming the text and the forms there are
   */
  public static ReferenceForm parse(String name) {
    switch (name.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "keep":
        return KEEP;
      case "familiar":
        return FAMILIAR;
      case "canonical":
        return CANONICAL;
      default:
        throw new IllegalArgumentException(
            "form \"" + name + "\" is not one of keep, familiar, canonical");
    }
  }
}
