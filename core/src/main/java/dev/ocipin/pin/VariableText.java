package dev.ocipin.pin;

import dev.ocipin.pin.DockerfileLexer.Word;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads image references built from variables: one whose tag is an ARG ({@code ruby:${TAG}}), and
 * one whose literal end holds the tag after a variable prefix ({@code ${REG}/library/alpine:3.19}),
 * the two shapes where a digest can be written without going stale.
 */
final class VariableText {
  private VariableText() {}

  // An image whose tag is one ARG: ruby:${TAG}, ${REGISTRY}/ruby:$TAG.
  static final Pattern TAIL_VAR =
      Pattern.compile("^(.*):\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)\\}|([A-Za-z_][A-Za-z0-9_]*))$");
  // The literal end after the last variable: ${REGISTRY}/library/alpine:3.19.
  private static final Pattern LAST_VAR =
      Pattern.compile("\\$(?:\\{[^}]*\\}|[A-Za-z_][A-Za-z0-9_]*)");

  /** The literal end of a reference: where it stands in the file, and its text. */
  record LiteralTail(Span span, String written) {}

  /**
   * Where the literal end of {@code raw} stands, when only its start is variable and the end holds
   * the tag ({@code ${REG}/library/alpine:3.19} gives {@code /library/alpine:3.19}); empty
   * otherwise, or when it is not one contiguous piece of the file.
   */
  static Optional<LiteralTail> literalTagAfterVariables(Word word, int from, int to, String raw) {
    Matcher m = LAST_VAR.matcher(raw);
    int end = -1;
    while (m.find()) {
      end = m.end();
    }
    if (end < 0 || end >= raw.length()) {
      return Optional.empty();
    }
    String rest = raw.substring(end);
    int slash = rest.lastIndexOf('/');
    boolean tagged = rest.indexOf(':', Math.max(slash, 0)) >= 0;
    if (!tagged || rest.indexOf('@') >= 0 || rest.indexOf('$') >= 0) {
      return Optional.empty();
    }
    return word.span(from + end, to).map(span -> new LiteralTail(span, rest));
  }
}
