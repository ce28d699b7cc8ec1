package dev.ocipin.pin;

import dev.ocipin.Platform;
import java.util.List;
import java.util.Optional;

/**
 * A place in a file where an image reference is written and may be rewritten.
 *
 * @param line the 1-based line of the text to rewrite
 * @param start the offset in the file text where the written reference starts
 * @param end the offset where it ends (exclusive)
 * @param written the reference as written there
 * @param reference the reference to resolve (after ARG expansion)
 * @param context where it was found, for messages: "FROM", "COPY --from", "ARG BASE", "image:"
 * @param platforms the literal {@code --platform} of each FROM that uses it; empty Optional for a
 *     use without one
 */
record Site(
    int line,
    int start,
    int end,
    String written,
    String reference,
    String context,
    List<Optional<Platform>> platforms) {}
