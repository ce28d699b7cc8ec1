package dev.ocipin.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One authentication challenge from {@code WWW-Authenticate}, parsed as RFC 7235 allows: any
 * parameter order, optional whitespace, quoted strings with escapes and commas, several challenges
 * on one line or over several headers, and case-insensitive scheme and parameter names.
 *
 * @param scheme the scheme, lowercased: {@code bearer} or {@code basic}
 * @param params the parameters, names lowercased, in the order given
 */
record Challenge(String scheme, Map<String, String> params) {
  /** Copies the parameters. */
  public Challenge {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** Returns whether the scheme is Bearer. */
  public boolean isBearer() {
    return scheme.equals("bearer");
  }

  /** Returns whether the scheme is Basic. */
  public boolean isBasic() {
    return scheme.equals("basic");
  }

  /** Returns the parameter {@code name}, looked up case-insensitively. */
  public Optional<String> param(String name) {
    return Optional.ofNullable(params.get(name.toLowerCase(Locale.ROOT)));
  }

  /** Parses every challenge in {@code headerValues}, skipping malformed parts. */
  public static List<Challenge> parseAll(List<String> headerValues) {
    List<Challenge> all = new ArrayList<>();
    for (String value : headerValues) {
      all.addAll(parse(value));
    }
    return all;
  }

  /** Parses the challenges in one header value. */
  public static List<Challenge> parse(String header) {
    Parser p = new Parser(header);
    List<Challenge> challenges = new ArrayList<>();
    String scheme = null;
    Map<String, String> params = new LinkedHashMap<>();
    while (true) {
      p.skipSeparators();
      if (p.atEnd()) {
        break;
      }
      String token = p.token();
      if (token == null) {
        // Not a token: skip one character and carry on, so junk cannot hide later challenges.
        p.pos++;
        continue;
      }
      p.skipSpaces();
      if (p.peek() == '=' && scheme != null && !p.isToken68End()) {
        p.pos++;
        p.skipSpaces();
        String value = p.peek() == '"' ? p.quoted() : p.token();
        params.putIfAbsent(token.toLowerCase(Locale.ROOT), value == null ? "" : value);
        continue;
      }
      if (p.peek() == '=' && scheme != null) {
        // token68 (such as Negotiate's blob): consume the padding and ignore it.
        while (p.peek() == '=') {
          p.pos++;
        }
        continue;
      }
      // A token not followed by '=' starts a new challenge.
      if (scheme != null) {
        challenges.add(new Challenge(scheme, params));
        params = new LinkedHashMap<>();
      }
      scheme = token.toLowerCase(Locale.ROOT);
    }
    if (scheme != null) {
      challenges.add(new Challenge(scheme, params));
    }
    return challenges;
  }

  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    boolean atEnd() {
      return pos >= s.length();
    }

    char peek() {
      return pos < s.length() ? s.charAt(pos) : '\0';
    }

    void skipSpaces() {
      while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
        pos++;
      }
    }

    void skipSeparators() {
      while (pos < s.length()
          && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t' || s.charAt(pos) == ',')) {
        pos++;
      }
    }

    /** After '=' padding of a token68 comes a separator or the end, never a value. */
    boolean isToken68End() {
      int i = pos;
      while (i < s.length() && s.charAt(i) == '=') {
        i++;
      }
      if (i - pos > 1) {
        return true;
      }
      int j = i;
      while (j < s.length() && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) {
        j++;
      }
      return j >= s.length() || s.charAt(j) == ',';
    }

    @Nullable String token() {
      int start = pos;
      while (pos < s.length() && isTokenChar(s.charAt(pos))) {
        pos++;
      }
      return pos > start ? s.substring(start, pos) : null;
    }

    String quoted() {
      StringBuilder sb = new StringBuilder();
      pos++; // opening quote
      while (pos < s.length()) {
        char c = s.charAt(pos++);
        if (c == '\\' && pos < s.length()) {
          sb.append(s.charAt(pos++));
        } else if (c == '"') {
          return sb.toString();
        } else {
          sb.append(c);
        }
      }
      return sb.toString(); // unterminated: take what there is
    }

    // RFC 7230 tchar, plus '/' so that unquoted URLs (seen in the wild) survive as one value.
    private static boolean isTokenChar(char c) {
      return (c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~/:".indexOf(c) >= 0;
    }
  }
}
