package dev.ocipin.pin;

import dev.ocipin.Platform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Finds every image reference in a Dockerfile without changing anything: FROM (with flags, AS
 * names, stage references and {@code scratch}), {@code COPY --from} and {@code RUN
 * --mount=...,from=}, and global ARG defaults that feed them. Understands parser directives ({@code
 * # escape=}), continuation lines, comments inside continuations, heredocs, and CRLF.
 */
final class DockerfileScanner {
  private static final Pattern DIRECTIVE =
      Pattern.compile("^\\s*#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.*?)\\s*$");
  private static final Pattern HEREDOC =
      Pattern.compile("<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_]*)\\2");
  private static final Pattern WHOLE_VAR =
      Pattern.compile(
          "^\\$(?:([A-Za-z_][A-Za-z0-9_]*)|\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)(.*))?\\})$");
  private static final Pattern BRACED =
      Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])(.*))?$");
  private static final Pattern VAR_NAME = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)");

  private final Path file;
  private final String text;
  private final Map<String, String> buildArgs;
  private char escape = '\\';
  private final List<int[]> lines = new ArrayList<>(); // {start, contentEnd, end}

  private final Map<String, GlobalArg> args = new LinkedHashMap<>();
  private final Set<String> stages = new HashSet<>();
  private boolean seenFrom;
  private final List<Site> sites = new ArrayList<>();
  private final List<Site> checkOnly = new ArrayList<>();
  private final List<PinNote> skipped = new ArrayList<>();
  private final List<String> refusals = new ArrayList<>();

  /** A global ARG (declared before the first FROM) and where its default is written. */
  private static final class GlobalArg {
    final String name;
    final @Nullable String value; // expanded default, null when declared without one
    final String written; // default as written (unquoted)
    final int line;
    final int start;
    final int end;
    final boolean rewritable;
    final List<Optional<Platform>> wholeUses = new ArrayList<>();
    final Set<Integer> partialUses = new TreeSet<>();

    GlobalArg(
        String name,
        @Nullable String value,
        String written,
        int line,
        int start,
        int end,
        boolean rewritable) {
      this.name = name;
      this.value = value;
      this.written = written;
      this.line = line;
      this.start = start;
      this.end = end;
      this.rewritable = rewritable;
    }
  }

  /** A whitespace-separated word of a logical instruction, with its offsets in the file. */
  private static final class Word {
    final String text;
    final int[] offsets;

    Word(String text, int[] offsets) {
      this.text = text;
      this.offsets = offsets;
    }

    /** The file offsets of text[from, to), or null when they are not one contiguous span. */
    int @Nullable [] span(int from, int to) {
      if (from >= to) {
        return null;
      }
      for (int i = from + 1; i < to; i++) {
        if (offsets[i] != offsets[i - 1] + 1) {
          return null;
        }
      }
      return new int[] {offsets[from], offsets[to - 1] + 1};
    }
  }

  private DockerfileScanner(Path file, String text, Map<String, String> buildArgs) {
    this.file = file;
    this.text = text;
    this.buildArgs = buildArgs;
  }

  static Scan scan(Path file, String text, Map<String, String> buildArgs) {
    DockerfileScanner s = new DockerfileScanner(file, text, buildArgs);
    s.run();
    return new Scan(
        List.copyOf(s.sites),
        List.copyOf(s.skipped),
        List.copyOf(s.checkOnly),
        List.copyOf(s.refusals));
  }

  private void splitLines() {
    int start = 0;
    while (start < text.length()) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? text.length() : nl + 1;
      int contentEnd = nl < 0 ? text.length() : nl;
      if (contentEnd > start && text.charAt(contentEnd - 1) == '\r') {
        contentEnd--;
      }
      lines.add(new int[] {start, contentEnd, end});
      start = end;
    }
  }

  private String content(int i) {
    return text.substring(lines.get(i)[0], lines.get(i)[1]);
  }

  int lineOf(int offset) {
    int lo = 0;
    int hi = lines.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (lines.get(mid)[0] <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo + 1;
  }

  private void run() {
    splitLines();
    int i = 0;
    // Parser directives: only at the very top, before any comment, blank line or instruction.
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
          refusals.add("line " + (i + 1) + ": # escape= must be \\ or `, got " + v);
          return;
        }
      } else if (!key.equals("syntax") && !key.equals("check")) {
        break; // an ordinary comment that happens to contain '='
      }
      i++;
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
        int[] l = lines.get(i);
        int contentEnd = l[1];
        int last = contentEnd - 1;
        while (last >= l[0] && (text.charAt(last) == ' ' || text.charAt(last) == '\t')) {
          last--;
        }
        boolean continued =
            last >= l[0] && text.charAt(last) == escape && !escapedEscape(l[0], last);
        int segmentEnd = continued ? last : contentEnd;
        for (int k = l[0]; k < segmentEnd; k++) {
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
      instruction(keyword, words, lineOf(offsets.get(0)));
      if (keyword.equals("RUN") || keyword.equals("COPY") || keyword.equals("ADD")) {
        Matcher h = HEREDOC.matcher(chars);
        while (h.find()) {
          heredocEnds.add(h.group(3));
          heredocStripTabs.add(!h.group(1).isEmpty());
        }
      }
    }
    finishArgs();
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

  private void instruction(String keyword, List<Word> words, int line) {
    switch (keyword) {
      case "ARG":
        if (!seenFrom) {
          for (int w = 1; w < words.size(); w++) {
            globalArg(words.get(w), line);
          }
        }
        break;
      case "FROM":
        seenFrom = true;
        from(words, line);
        break;
      case "COPY":
        for (int w = 1; w < words.size() && words.get(w).text.startsWith("--"); w++) {
          Word word = words.get(w);
          if (word.text.startsWith("--from=")) {
            image(word, "--from=".length(), word.text.length(), line, "COPY --from", null, true);
          }
        }
        break;
      case "RUN":
        for (int w = 1; w < words.size() && words.get(w).text.startsWith("--"); w++) {
          Word word = words.get(w);
          if (word.text.startsWith("--mount=")) {
            mountFrom(word, line);
          }
        }
        break;
      default:
        break;
    }
  }

  private void globalArg(Word word, int line) {
    String t = word.text;
    int eq = t.indexOf('=');
    if (eq < 0) {
      String name = t;
      String override = buildArgs.get(name);
      args.put(name, new GlobalArg(name, override, "", line, -1, -1, false));
      return;
    }
    String name = t.substring(0, eq);
    int vs = eq + 1;
    int ve = t.length();
    if (ve - vs >= 2
        && (t.charAt(vs) == '"' || t.charAt(vs) == '\'')
        && t.charAt(ve - 1) == t.charAt(vs)) {
      vs++;
      ve--;
    }
    String written = t.substring(vs, ve);
    String value = buildArgs.containsKey(name) ? buildArgs.get(name) : expand(written).orElse(null);
    int[] span = word.span(vs, ve);
    args.put(
        name,
        new GlobalArg(
            name,
            value,
            written,
            line,
            span == null ? -1 : span[0],
            span == null ? -1 : span[1],
            span != null && !buildArgs.containsKey(name)));
  }

  private void from(List<Word> words, int line) {
    int w = 1;
    Platform platform = null;
    boolean platformVariable = false;
    for (; w < words.size() && words.get(w).text.startsWith("--"); w++) {
      String flag = words.get(w).text;
      if (flag.toLowerCase(Locale.ROOT).startsWith("--platform=")) {
        String value = flag.substring("--platform=".length());
        if (value.contains("$")) {
          platformVariable = true; // such as $BUILDPLATFORM: left as it is
        } else {
          try {
            platform = Platform.parse(value);
          } catch (IllegalArgumentException e) {
            skipped.add(new PinNote(file, line, flag, "not a platform: " + e.getMessage()));
          }
        }
      }
    }
    if (w >= words.size()) {
      skipped.add(new PinNote(file, line, "", "FROM without an image"));
      return;
    }
    Word image = words.get(w);
    image(image, 0, image.text.length(), line, "FROM", platform, !platformVariable);
    if (w + 2 < words.size() && words.get(w + 1).text.equalsIgnoreCase("AS")) {
      // Stage names count from the next instruction on; a FROM cannot name its own stage.
      stages.add(words.get(w + 2).text.toLowerCase(Locale.ROOT));
    }
  }

  private void mountFrom(Word word, int line) {
    String t = word.text;
    int k = "--mount=".length();
    while (k < t.length()) {
      int comma = t.indexOf(',', k);
      int end = comma < 0 ? t.length() : comma;
      String part = t.substring(k, end);
      if (part.startsWith("from=")) {
        image(word, k + "from=".length(), end, line, "RUN --mount from", null, true);
      }
      k = end + 1;
    }
  }

  private void image(
      Word word,
      int from,
      int to,
      int line,
      String context,
      @Nullable Platform platform,
      boolean platformLiteral) {
    String raw = word.text.substring(from, to);
    if (raw.isEmpty()) {
      return;
    }
    String lower = raw.toLowerCase(Locale.ROOT);
    if (lower.equals("scratch")) {
      skipped.add(new PinNote(file, line, raw, "scratch is not an image"));
      return;
    }
    if (stages.contains(lower)
        || (!context.equals("FROM") && raw.chars().allMatch(Character::isDigit))) {
      skipped.add(new PinNote(file, line, raw, "refers to a build stage"));
      return;
    }
    Optional<Platform> p = Optional.ofNullable(platformLiteral ? platform : null);
    if (raw.indexOf('$') < 0) {
      int[] span = word.span(from, to);
      if (span == null) {
        skipped.add(
            new PinNote(
                file, line, raw, "written across a line continuation; cannot rewrite it in place"));
        return;
      }
      sites.add(new Site(lineOf(span[0]), span[0], span[1], raw, raw, context, List.of(p)));
      return;
    }
    Matcher whole = WHOLE_VAR.matcher(raw);
    if (whole.matches()) {
      String name = whole.group(1) != null ? whole.group(1) : whole.group(2);
      GlobalArg arg = args.get(name);
      String op = whole.group(3);
      if (arg != null && (arg.value != null || op == null)) {
        if (arg.value == null) {
          skipped.add(
              new PinNote(
                  file,
                  line,
                  raw,
                  "ARG " + name + " has no value; pass it as a build arg to check it"));
          return;
        }
        if (stages.contains(arg.value.toLowerCase(Locale.ROOT))
            || arg.value.equalsIgnoreCase("scratch")) {
          skipped.add(new PinNote(file, line, raw, "refers to a build stage"));
          return;
        }
        arg.wholeUses.add(p);
        return;
      }
      if (op != null && op.endsWith("-") && (arg == null || arg.value == null)) {
        // ${VAR:-default} with VAR unset: the inline default is the image; pin it in place.
        int dStart = raw.indexOf(op + whole.group(4)) + op.length();
        int[] span = word.span(from + dStart, from + dStart + whole.group(4).length());
        String def = whole.group(4);
        if (span != null && def.indexOf('$') < 0) {
          sites.add(new Site(lineOf(span[0]), span[0], span[1], def, def, context, List.of(p)));
          return;
        }
      }
    }
    // Built from variables: resolvable for a check, but a digest cannot be written for it.
    Matcher names = VAR_NAME.matcher(raw);
    while (names.find()) {
      GlobalArg arg = args.get(names.group(1));
      if (arg != null) {
        arg.partialUses.add(line);
      }
    }
    Optional<String> expanded = expand(raw);
    if (expanded.isEmpty()) {
      skipped.add(
          new PinNote(
              file,
              line,
              raw,
              "uses a variable with no value (such as $BUILDPLATFORM or an ARG without default)"));
      return;
    }
    int[] span = word.span(from, to);
    checkOnly.add(
        new Site(
            line,
            span == null ? -1 : span[0],
            span == null ? -1 : span[1],
            raw,
            expanded.get(),
            context,
            List.of(p)));
  }

  private void finishArgs() {
    for (GlobalArg arg : args.values()) {
      if (arg.wholeUses.isEmpty()) {
        continue;
      }
      if (!arg.partialUses.isEmpty()) {
        refusals.add(
            "ARG "
                + arg.name
                + " feeds FROM as a whole image and also inside other text (line"
                + (arg.partialUses.size() > 1 ? "s " : " ")
                + join(arg.partialUses)
                + "); adding a digest to its default would break those lines");
        continue;
      }
      if (!arg.rewritable) {
        String why =
            buildArgs.containsKey(arg.name)
                ? "is set by a build arg, and ocipin pins only what the file says"
                : "has a default that cannot be rewritten in place";
        skipped.add(
            new PinNote(
                file,
                arg.line,
                arg.value == null ? arg.name : arg.value,
                "ARG " + arg.name + " " + why));
        continue;
      }
      sites.add(
          new Site(
              arg.line,
              arg.start,
              arg.end,
              arg.written,
              arg.value,
              "ARG " + arg.name,
              List.copyOf(arg.wholeUses)));
    }
  }

  private static String join(Set<Integer> lines) {
    StringBuilder sb = new StringBuilder();
    for (int l : lines) {
      sb.append(sb.length() == 0 ? "" : ", ").append(l);
    }
    return sb.toString();
  }

  /** Expands $VAR, ${VAR}, ${VAR:-x}, ${VAR-x}, ${VAR:+x}, ${VAR+x} with the global ARGs. */
  Optional<String> expand(String raw) {
    Map<String, String> values = new HashMap<>();
    for (GlobalArg a : args.values()) {
      if (a.value != null) {
        values.put(a.name, a.value);
      }
    }
    for (Map.Entry<String, String> e : buildArgs.entrySet()) {
      values.putIfAbsent(e.getKey(), e.getValue());
    }
    StringBuilder out = new StringBuilder();
    int k = 0;
    while (k < raw.length()) {
      char c = raw.charAt(k);
      if (c == escape && k + 1 < raw.length() && raw.charAt(k + 1) == '$') {
        out.append('$');
        k += 2;
        continue;
      }
      if (c != '$') {
        out.append(c);
        k++;
        continue;
      }
      if (k + 1 < raw.length() && raw.charAt(k + 1) == '{') {
        int close = raw.indexOf('}', k);
        if (close < 0) {
          return Optional.empty();
        }
        String inner = raw.substring(k + 2, close);
        Matcher m = BRACED.matcher(inner);
        if (!m.matches()) {
          return Optional.empty();
        }
        String v = values.get(m.group(1));
        String op = m.group(2);
        boolean set = op != null && op.startsWith(":") ? v != null && !v.isEmpty() : v != null;
        if (op == null) {
          if (v == null) {
            return Optional.empty();
          }
          out.append(v);
        } else if (op.endsWith("-")) {
          out.append(set ? v : m.group(3));
        } else {
          out.append(set ? m.group(3) : "");
        }
        k = close + 1;
      } else {
        int e = k + 1;
        while (e < raw.length()
            && (Character.isLetterOrDigit(raw.charAt(e)) || raw.charAt(e) == '_')) {
          e++;
        }
        String v = values.get(raw.substring(k + 1, e));
        if (e == k + 1 || v == null) {
          return Optional.empty();
        }
        out.append(v);
        k = e;
      }
    }
    return Optional.of(out.toString());
  }
}
