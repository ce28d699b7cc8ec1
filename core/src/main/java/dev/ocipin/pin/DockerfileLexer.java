package dev.ocipin.pin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a Dockerfile into instructions as BuildKit's parser does, keeping every character's offset
 * in the file so a reference can be rewritten in place: parser directives at the top ({@code #
 * escape=}, {@code # syntax=}, {@code # check=}), the escape character, CRLF, lines continued with
 * the escape character (an escaped escape does not continue), comments and blank lines inside a
 * continuation (ignored), heredocs after RUN, COPY and ADD (skipped to their terminator, {@code
 * <<-} stripping leading tabs), and words split on whitespace outside quotes.
 */
final class DockerfileLexer {
  private static final Pattern DIRECTIVE =
      Pattern.compile("^\\s*#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.*?)\\s*$");
  private static final Pattern HEREDOC =
      Pattern.compile("<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_]*)\\2");

  /** One physical line: where it starts, where its content ends (before CR LF), where it ends. */
  record LineBounds(int start, int contentEnd, int end) {}

  /** A whitespace-separated word of an instruction, with the file offset of each character. */
  static final class Word {
    final String text;
    private final int[] offsets;

    Word(String text, int[] offsets) {
      this.text = text;
      this.offsets = offsets;
    }

    /** Where text[from, to) stands in the file, or empty when it is not one contiguous piece. */
    Optional<Span> span(int from, int to) {
      if (from >= to) {
        return Optional.empty();
      }
      for (int i = from + 1; i < to; i++) {
        if (offsets[i] != offsets[i - 1] + 1) {
          return Optional.empty();
        }
      }
      return Optional.of(new Span(offsets[from], offsets[to - 1] + 1));
    }
  }

  /**
   * One instruction: its keyword in upper case, its words (the keyword first), and the line it
   * starts on.
   */
  record Instruction(String keyword, List<Word> words, int line) {}

  private final String text;
  private final List<LineBounds> lines = new ArrayList<>();
  private final List<Instruction> instructions = new ArrayList<>();
  private char escape = '\\';
  private Optional<String> refusal = Optional.empty();

  DockerfileLexer(String text) {
    this.text = text;
    splitLines();
    lex();
  }

  /** Returns the instructions, in file order. */
  List<Instruction> instructions() {
    return instructions;
  }

  /** Returns the escape character: {@code \} unless a directive set {@code `}. */
  char escape() {
    return escape;
  }

  /** Returns why the file cannot be read as a Dockerfile at all, if it cannot. */
  Optional<String> refusal() {
    return refusal;
  }

  /** Returns the 1-based line of a file offset. */
  int lineOf(int offset) {
    int lo = 0;
    int hi = lines.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (lines.get(mid).start() <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo + 1;
  }

  private void splitLines() {
    // A UTF-8 byte-order mark is not part of the first instruction, as BuildKit ignores it; the
    // text keeps it, so a rewrite keeps it too.
    int start = text.startsWith("\uFEFF") ? 1 : 0;
    while (start < text.length()) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? text.length() : nl + 1;
      int contentEnd = nl < 0 ? text.length() : nl;
      if (contentEnd > start && text.charAt(contentEnd - 1) == '\r') {
        contentEnd--;
      }
      lines.add(new LineBounds(start, contentEnd, end));
      start = end;
    }
  }

  private String content(int i) {
    return text.substring(lines.get(i).start(), lines.get(i).contentEnd());
  }

  private void lex() {
    int i = directives();
    if (refusal.isPresent()) {
      return;
    }
    List<String> heredocEnds = new ArrayList<>();
    List<Boolean> heredocStripTabs = new ArrayList<>();
    while (i < lines.size()) {
      if (!heredocEnds.isEmpty()) {
        String body = content(i);
        String candidate = heredocStripTabs.get(0) ? body.replaceFirst("^\t+", "") : body;
        if (candidate.equals(heredocEnds.get(0))) {
          heredocEnds.remove(0);
          heredocStripTabs.remove(0);
        }
        i++;
        continue;
      }
      String stripped = content(i).strip();
      if (stripped.isEmpty() || stripped.startsWith("#")) {
        i++;
        continue;
      }
      // Gather one logical instruction across continuation lines.
      StringBuilder chars = new StringBuilder();
      List<Integer> offsets = new ArrayList<>();
      boolean first = true;
      while (i < lines.size()) {
        String c = content(i);
        if (!first && (c.strip().startsWith("#") || c.isBlank())) {
          i++; // comments and empty lines inside a continuation are ignored, as BuildKit does
          continue;
        }
        first = false;
        LineBounds l = lines.get(i);
        int last = l.contentEnd() - 1;
        while (last >= l.start() && (text.charAt(last) == ' ' || text.charAt(last) == '\t')) {
          last--;
        }
        boolean continued =
            last >= l.start() && text.charAt(last) == escape && !escapedEscape(l.start(), last);
        int segmentEnd = continued ? last : l.contentEnd();
        for (int k = l.start(); k < segmentEnd; k++) {
          chars.append(text.charAt(k));
          offsets.add(k);
        }
        i++;
        if (!continued) {
          break;
        }
      }
      List<Word> words = words(chars, offsets);
      if (words.isEmpty()) {
        continue;
      }
      String keyword = words.get(0).text.toUpperCase(Locale.ROOT);
      instructions.add(new Instruction(keyword, List.copyOf(words), lineOf(offsets.get(0))));
      if (keyword.equals("RUN") || keyword.equals("COPY") || keyword.equals("ADD")) {
        Matcher h = HEREDOC.matcher(chars);
        while (h.find()) {
          heredocEnds.add(h.group(3));
          heredocStripTabs.add(!h.group(1).isEmpty());
        }
      }
    }
  }

  /** Reads the parser directives at the very top; returns the first line after them. */
  private int directives() {
    int i = 0;
    while (i < lines.size()) {
      Matcher m = DIRECTIVE.matcher(content(i));
      if (!m.matches()) {
        break;
      }
      String key = m.group(1).toLowerCase(Locale.ROOT);
      if (key.equals("escape")) {
        String v = m.group(2);
        if (v.equals("`")) {
          escape = '`';
        } else if (!v.equals("\\")) {
          refusal = Optional.of("line " + (i + 1) + ": # escape= must be \\ or `, got " + v);
          return i;
        }
      } else if (!key.equals("syntax") && !key.equals("check")) {
        break; // an ordinary comment that happens to contain '='
      }
      i++;
    }
    return i;
  }

  private boolean escapedEscape(int lineStart, int pos) {
    int n = 0;
    for (int k = pos - 1; k >= lineStart && text.charAt(k) == escape; k--) {
      n++;
    }
    return n % 2 == 1;
  }

  private List<Word> words(CharSequence chars, List<Integer> offsets) {
    List<Word> out = new ArrayList<>();
    int n = chars.length();
    int k = 0;
    while (k < n) {
      while (k < n && Character.isWhitespace(chars.charAt(k))) {
        k++;
      }
      if (k >= n) {
        break;
      }
      int start = k;
      char quote = 0;
      while (k < n && (quote != 0 || !Character.isWhitespace(chars.charAt(k)))) {
        char c = chars.charAt(k);
        if (quote == 0 && (c == '"' || c == '\'')) {
          quote = c;
        } else if (quote != 0 && c == quote) {
          quote = 0;
        } else if (c == escape && k + 1 < n) {
          k++;
        }
        k++;
      }
      int[] o = new int[k - start];
      for (int j = 0; j < o.length; j++) {
        o[j] = offsets.get(start + j);
      }
      out.add(new Word(chars.subSequence(start, k).toString(), o));
    }
    return out;
  }
}
