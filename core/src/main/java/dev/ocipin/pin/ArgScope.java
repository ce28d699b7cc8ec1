package dev.ocipin.pin;

import dev.ocipin.Platform;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The global ARGs of a Dockerfile (declared before the first FROM), which FROM lines may use, with
 * the build args given for this run: their values, where their defaults are written, and how FROM
 * lines use them. Expands {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-x}}, {@code ${VAR-x}}, {@code
 * ${VAR:+x}} and {@code ${VAR+x}} as BuildKit does.
 */
final class ArgScope {
  private static final Pattern BRACED =
      Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])(.*))?$");

  /** A global ARG and where its default is written. */
  static final class Arg {
    final String name;
    final @Nullable String value; // expanded, or the build arg; null when it has none
    final String written; // the default as written (unquoted)
    final int line;
    final Optional<Span> span; // where the default stands, when it can be rewritten

    /** The platform of each FROM that uses the ARG as its whole image. */
    final List<Optional<Platform>> wholeUses = new ArrayList<>();

    /** The lines that use the ARG inside other text. */
    final Set<Integer> partialUses = new TreeSet<>();

    /** Images that end in the ARG after a colon ({@code ruby:${TAG}}): the ARG is their tag. */
    final List<TailUse> tailUses = new ArrayList<>();

    /** Whether the default is built from other variables, so a digest there could go stale. */
    final boolean derived;

    Arg(String name, @Nullable String value, String written, int line, Optional<Span> span) {
      this.derived = written.indexOf('$') >= 0;
      this.name = name;
      this.value = value;
      this.written = written;
      this.line = line;
      this.span = derived ? Optional.empty() : span;
    }
  }

  /** One image whose tag is an ARG: the image as written and expanded, and where. */
  record TailUse(String written, String reference, int line, Optional<Platform> platform) {}

  private final Map<String, Arg> args = new LinkedHashMap<>();
  private final Map<String, String> buildArgs;
  private final char escape;

  ArgScope(Map<String, String> buildArgs, char escape) {
    this.buildArgs = buildArgs;
    this.escape = escape;
  }

  /**
   * Declares ARG {@code name}, with its default as written (without quotes) and where it stands, or
   * without a default. A build arg of the same name overrides the default, and makes it not
   * rewritable: ocipin pins only what the file says.
   */
  void declare(String name, Optional<String> written, int line, Optional<Span> span) {
    if (written.isEmpty()) {
      args.put(name, new Arg(name, buildArgs.get(name), "", line, Optional.empty()));
      return;
    }
    boolean overridden = buildArgs.containsKey(name);
    String value = overridden ? buildArgs.get(name) : expand(written.get()).orElse(null);
    args.put(name, new Arg(name, value, written.get(), line, overridden ? Optional.empty() : span));
  }

  /** Returns the ARG {@code name}, if declared. */
  Optional<Arg> get(String name) {
    return Optional.ofNullable(args.get(name));
  }

  /** Returns whether a build arg sets {@code name}. */
  boolean setByBuildArg(String name) {
    return buildArgs.containsKey(name);
  }

  /** Returns every ARG, in declaration order. */
  Iterable<Arg> all() {
    return args.values();
  }

  /**
   * Removes shell quotes from a word, as BuildKit does for ARG values and {@code ${VAR:-word}}
   * defaults: {@code "3.19"} and {@code '3.19'} are {@code 3.19}.
   */
  static String unquote(String word) {
    StringBuilder out = new StringBuilder(word.length());
    char quote = 0;
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
      } else if (c == quote) {
        quote = 0;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Expands the variables in {@code raw}; empty when one has no value or the syntax is unknown. */
  Optional<String> expand(String raw) {
    Map<String, String> values = new HashMap<>();
    for (Arg a : args.values()) {
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
        Matcher m = BRACED.matcher(raw.substring(k + 2, close));
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
          out.append(set ? v : unquote(m.group(3)));
        } else {
          out.append(set ? unquote(m.group(3)) : "");
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
