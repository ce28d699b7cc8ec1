package dev.ocipin.lock;

import dev.ocipin.ImageReference;
import dev.ocipin.Platform;
import dev.ocipin.model.MediaType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;

/** The text of a lock file: written sorted with LF line ends, read with errors by line. */
final class LockFormat {
  private static final String HEADER =
      "# ocipin image lock: the digests this build's images resolved to. Commit it.\n"
          + "# Written by ocipin; lock again with update to follow tags that have moved.\n";

  private LockFormat() {}

  /** The text of {@code entries}, in the order given. */
  static String format(Collection<ImageLock.Entry> entries) {
    StringBuilder sb =
        new StringBuilder(HEADER).append("version ").append(ImageLock.VERSION).append('\n');
    for (ImageLock.Entry e : entries) {
      sb.append('\n').append('[').append(e.name()).append("]\n");
      sb.append("reference = ").append(e.reference()).append('\n');
      sb.append("pinned = ").append(e.pinned()).append('\n');
      sb.append("media-type = ").append(e.mediaType()).append('\n');
      e.platform().ifPresent(p -> sb.append("platform = ").append(p).append('\n'));
    }
    return sb.toString();
  }

  /** See {@link ImageLock#parse}. */
  static TreeMap<String, ImageLock.Entry> parse(String text, String source)
      throws LockFileException {
    TreeMap<String, ImageLock.Entry> out = new TreeMap<>();
    String[] lines = text.split("\r?\n", -1);
    boolean versioned = false;
    String section = null;
    int sectionLine = 0;
    java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
    for (int i = 0; i <= lines.length; i++) {
      boolean end = i == lines.length;
      String line = end ? "[" : lines[i].strip(); // the end closes the last section
      int n = i + 1;
      if (line.isEmpty() || line.startsWith("#") || (end && !versioned)) {
        continue;
      }
      if (!versioned) {
        if (!line.startsWith("version ")) {
          throw error(source, n, "expected \"version " + ImageLock.VERSION + "\" first");
        }
        String v = line.substring("version ".length()).strip();
        if (!v.equals(String.valueOf(ImageLock.VERSION))) {
          throw error(
              source,
              n,
              "lock format version "
                  + v
                  + " is not one this ocipin reads (version "
                  + ImageLock.VERSION
                  + "); upgrade ocipin, or re-lock");
        }
        versioned = true;
        continue;
      }
      if (line.startsWith("[")) {
        if (section != null) {
          ImageLock.Entry e = entry(source, sectionLine, section, values);
          if (out.put(e.name(), e) != null) {
            throw error(source, sectionLine, "image " + section + " is locked twice");
          }
        }
        if (end) {
          break;
        }
        if (!line.endsWith("]") || line.length() < 3) {
          throw error(source, n, "a section is written [NAME]");
        }
        section = line.substring(1, line.length() - 1).strip();
        sectionLine = n;
        values = new java.util.LinkedHashMap<>();
        continue;
      }
      int eq = line.indexOf('=');
      if (section == null || eq <= 0) {
        throw error(source, n, "expected [NAME] or KEY = VALUE, not \"" + shorten(line) + "\"");
      }
      String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      if (values.put(key, line.substring(eq + 1).strip()) != null) {
        throw error(source, n, key + " is given twice for image " + section);
      }
    }
    if (!versioned) {
      throw error(source, 1, "the file is empty; expected \"version " + ImageLock.VERSION + "\"");
    }
    return out;
  }

  private static ImageLock.Entry entry(
      String source, int line, String name, java.util.Map<String, String> values)
      throws LockFileException {
    List<String> missing = new ArrayList<>();
    for (String key : List.of("reference", "pinned", "media-type")) {
      if (!values.containsKey(key) || values.get(key).isEmpty()) {
        missing.add(key);
      }
    }
    if (!missing.isEmpty()) {
      throw error(source, line, "image " + name + " lacks " + String.join(", ", missing));
    }
    try {
      return new ImageLock.Entry(
          name,
          values.get("reference"),
          ImageReference.parse(values.get("pinned")),
          MediaType.of(values.get("media-type")),
          Optional.ofNullable(values.get("platform")).map(Platform::parse));
    } catch (IllegalArgumentException e) {
      throw error(source, line, "image " + name + ": " + e.getMessage());
    }
  }

  private static LockFileException error(String source, int line, String what) {
    return new LockFileException(
        source + ":" + line + ": " + what + " (a lock file is written by ocipin; re-lock it)");
  }

  private static String shorten(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
