package dev.ocipin.internal.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The shared, thread-safe Jackson mapper and helpers for reading untrusted JSON. */
public final class Json {
  /** Rejects duplicate keys: two readers of one body must not see different values. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .addModule(new JavaTimeModule())
          .build();

  private Json() {}

  /**
   * Reads a JSON tree, turning Jackson's failure into a message that names the position and never
   * quotes the input.
   */
  public static JsonNode readTree(byte[] body, String what) throws MalformedJsonException {
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw new MalformedJsonException(what + " is empty, expected a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      String where =
          loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
      throw new MalformedJsonException(
          what
              + " is not valid JSON"
              + where
              + ": "
              + firstLine(e.getOriginalMessage())
              + hint(body),
          e);
    } catch (IOException e) {
      throw new MalformedJsonException(what + " could not be read: " + e.getMessage(), e);
    }
  }

  private static String firstLine(String message) {
    int nl = message.indexOf('\n');
    String line = nl < 0 ? message : message.substring(0, nl);
    // Jackson quotes the offending token; keep it short.
    return line.length() > 160 ? line.substring(0, 160) + "…" : line;
  }

  private static String hint(byte[] body) {
    String start = new String(body, 0, Math.min(body.length, 64), StandardCharsets.UTF_8).trim();
    if (start.startsWith("<")) {
      return " (the body looks like HTML or XML, perhaps from a proxy: " + safePrefix(body) + ")";
    }
    return "";
  }

  /**
   * Returns up to 60 printable characters from the start of {@code body}, for messages about
   * unexpected content. Control characters are replaced.
   */
  public static String safePrefix(byte[] body) {
    String s = new String(body, 0, Math.min(body.length, 240), StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && sb.length() < 60; i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    String out = sb.toString().replaceAll("\\s+", " ").trim();
    return "\"" + out + (body.length > out.length() ? "…" : "") + "\"";
  }

  /** Thrown when untrusted bytes are not the JSON expected. */
  public static final class MalformedJsonException extends IOException {
    private static final long serialVersionUID = 1L;

    MalformedJsonException(String message) {
      super(message);
    }

    MalformedJsonException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
