package dev.ocipin.pin;

import dev.ocipin.Platform;
import java.util.List;
import java.util.Optional;

/**
 * A place in a file where an image reference is written and may be rewritten.
 *
 * @param kind what kind of place: a FROM, a {@code COPY --from}, an ARG default...
 * @param argName the ARG's name, for an {@link Kind#ARG_DEFAULT}
 * @param line the 1-based line of the text to rewrite
 * @param span where the written reference stands; empty when it is not one piece of text (a
 *     reference built from variables across a line continuation), which can be checked only
 * @param written the reference as written there
 * @param reference the reference to resolve (after ARG expansion)
 * @param platforms the literal {@code --platform} of each FROM that uses it; empty Optional for a
 *     use without one
 * @param appendOnly whether the written text is only the end of the reference (an ARG that is a
 *     tag, or the literal tag after a variable registry), so that a digest is only appended to it,
 *     whatever the reference form
 */
record Site(
    Kind kind,
    Optional<String> argName,
    int line,
    Optional<Span> span,
    String written,
    String reference,
    List<Optional<Platform>> platforms,
    boolean appendOnly) {

  /** What kind of place a reference is written in. */
  enum Kind {
    FROM,
    COPY_FROM,
    RUN_MOUNT_FROM,
    ARG_DEFAULT,
    YAML_IMAGE
  }

  /** Returns the place for messages: {@code FROM}, {@code COPY --from}, {@code ARG BASE}... */
  String describe() {
    switch (kind) {
      case COPY_FROM:
        return "COPY --from";
      case RUN_MOUNT_FROM:
        return "RUN --mount from";
      case ARG_DEFAULT:
        return "ARG " + argName.orElse("");
      case YAML_IMAGE:
        return "image:";
      default:
        return "FROM";
    }
  }

  /** Returns where a rewritable site's reference stands. */
  Span at() {
    return span.orElseThrow(() -> new IllegalStateException(describe() + " cannot be rewritten"));
  }
}
