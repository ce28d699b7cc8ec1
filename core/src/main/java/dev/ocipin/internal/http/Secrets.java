package dev.ocipin.internal.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The secrets a transport has sent (passwords, refresh and registry tokens, Basic headers, bearer
 * tokens), so that text a server sends back is scrubbed of them before it can reach a message.
 *
 * <p>Heuristic redaction ({@code Redact}) catches long token-like runs, but not a short password
 * that a registry, a token server or a proxy's error page echoes back. This catches those exactly,
 * whatever their shape.
 *
 * <p>A long-lived resolver sends a new bearer token every few minutes, so only the {@value #CAP}
 * most recently sent secrets are kept. An echo answers the request that just carried the secret,
 * and every send refreshes it, so the ones dropped are ones no server is still answering about.
 */
public final class Secrets {
  /** Shorter values are not scrubbed: replacing every "abc" would garble messages. */
  static final int MIN_LENGTH = 4;

  static final int CAP = 1024;

  static final String REDACTED = "<redacted>";

  private final Map<String, Boolean> recent =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > CAP;
        }
      };

  /** Remembers {@code value} as a secret, if it is long enough to find reliably. */
  public void add(String value) {
    if (value.length() >= MIN_LENGTH) {
      synchronized (recent) {
        recent.put(value, Boolean.TRUE);
      }
    }
  }

  /** Remembers the credential of an {@code Authorization} header value, without its scheme. */
  public void addAuthorization(String header) {
    int space = header.indexOf(' ');
    add(space < 0 ? header : header.substring(space + 1).strip());
  }

  /** Returns {@code text} with every known secret replaced by {@value #REDACTED}. */
  public String scrub(String text) {
    List<String> secrets;
    synchronized (recent) {
      if (recent.isEmpty()) {
        return text;
      }
      secrets = new ArrayList<>(recent.keySet());
    }
    // Longest first, so that a secret containing another is replaced whole.
    secrets.sort(Comparator.comparingInt(String::length).reversed());
    String out = text;
    for (String secret : secrets) {
      if (out.contains(secret)) {
        out = out.replace(secret, REDACTED);
      }
    }
    return out;
  }

  /** Returns {@code body} scrubbed of known secrets: the same array when it holds none. */
  public byte[] scrub(byte[] body) {
    if (body.length == 0) {
      return body;
    }
    String text = new String(body, StandardCharsets.UTF_8);
    String clean = scrub(text);
    return clean.equals(text) ? body : clean.getBytes(StandardCharsets.UTF_8);
  }
}
