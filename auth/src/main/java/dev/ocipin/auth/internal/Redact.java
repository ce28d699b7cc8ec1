package dev.ocipin.auth.internal;

import java.util.regex.Pattern;

/** Makes text from outside safe to put in a message: one line, short, no secret-looking runs. */
public final class Redact {
  // Long runs of token characters: base64, hex, JWT segments, API keys.
  private static final Pattern SECRETISH = Pattern.compile("[A-Za-z0-9+/=_.~-]{20,}");
  private static final Pattern KEY_VALUE =
      Pattern.compile(
          "(?i)((?:password|passwd|secret|token|auth|authorization|bearer|basic)[\"']?\\s*[:=\\s]\\s*[\"']?)[^\\s\"',;}]+");

  private Redact() {}

  /** Returns the first non-blank line of {@code text}, redacted and cut to {@code max} chars. */
  public static String oneLine(String text, int max) {
    String line = "";
    for (String l : text.split("\\R")) {
      if (!l.isBlank()) {
        line = l.strip();
        break;
      }
    }
    line = KEY_VALUE.matcher(line).replaceAll("$1<redacted>");
    line = SECRETISH.matcher(line).replaceAll("<redacted>");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      sb.append(Character.isISOControl(c) ? ' ' : c);
    }
    String out = sb.toString();
    return out.length() > max ? out.substring(0, max) + "…" : out;
  }
}
