package dev.ocipin.pin;

import java.util.ArrayList;
import java.util.List;

/** A unified diff of two texts with the same number of lines, as pinning's in-line edits give. */
final class UnifiedDiff {
  private static final int CONTEXT = 3;

  private UnifiedDiff() {}

  static String of(String name, String before, String after) {
    List<String> a = lines(before);
    List<String> b = lines(after);
    StringBuilder sb = new StringBuilder();
    sb.append("--- a/").append(name).append('\n');
    sb.append("+++ b/").append(name).append('\n');
    int n = Math.max(a.size(), b.size());
    int i = 0;
    while (i < n) {
      if (i < a.size() && i < b.size() && a.get(i).equals(b.get(i))) {
        i++;
        continue;
      }
      int start = Math.max(0, i - CONTEXT);
      int end = i;
      // Extend the hunk while changes are within 2 * CONTEXT lines of each other.
      int k = i;
      while (k < n) {
        if (!(k < a.size() && k < b.size() && a.get(k).equals(b.get(k)))) {
          end = k;
          k++;
          continue;
        }
        int next = k;
        while (next < n && next < a.size() && next < b.size() && a.get(next).equals(b.get(next))) {
          next++;
        }
        if (next < n && next - k <= 2 * CONTEXT) {
          k = next;
          continue;
        }
        break;
      }
      int stop = Math.min(n, end + CONTEXT + 1);
      int count = stop - start;
      sb.append("@@ -")
          .append(start + 1)
          .append(',')
          .append(count)
          .append(" +")
          .append(start + 1)
          .append(',')
          .append(count)
          .append(" @@\n");
      for (int j = start; j < stop; j++) {
        boolean same = j < a.size() && j < b.size() && a.get(j).equals(b.get(j));
        if (same) {
          sb.append(' ').append(strip(a.get(j))).append('\n');
        } else {
          if (j < a.size()) {
            sb.append('-').append(strip(a.get(j))).append('\n');
          }
          if (j < b.size()) {
            sb.append('+').append(strip(b.get(j))).append('\n');
          }
        }
      }
      i = stop;
    }
    return sb.toString();
  }

  private static String strip(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  private static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int nl = text.indexOf('\n', start);
      if (nl < 0) {
        out.add(text.substring(start));
        break;
      }
      out.add(text.substring(start, nl));
      start = nl + 1;
    }
    return out;
  }
}
