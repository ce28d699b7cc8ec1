package dev.ocipin.pin;

/**
 * Where text stands in a file: from {@code start} to {@code end} (exclusive), as offsets into the
 * file's text.
 */
record Span(int start, int end) {
  Span {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("not a span: " + start + ".." + end);
    }
  }
}
