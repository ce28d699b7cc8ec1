package dev.ocipin.pin;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Finds {@code image:} values in docker-compose files and Kubernetes manifests (any document of a
 * multi-document file) with a real YAML parse, and reports where each value is written so that only
 * its text is replaced: comments, quoting, indentation and key order stay as they are.
 *
 * <p>An alias ({@code image: *base}) is the anchored node itself, so it is rewritten once, where
 * the anchor is defined. Templated values ({@code ${...}}, {@code {{ }}}) are noted and skipped.
 */
final class YamlScanner {
  private final Path file;
  private final String text;
  private final List<Site> sites = new ArrayList<>();
  private final List<PinNote> skipped = new ArrayList<>();
  private final Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Node> images = Collections.newSetFromMap(new IdentityHashMap<>());

  private YamlScanner(Path file, String text) {
    this.file = file;
    this.text = text;
  }

  static Scan scan(Path file, String text) {
    YamlScanner s = new YamlScanner(file, text);
    List<String> refusals = new ArrayList<>();
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      options.setMaxAliasesForCollections(50);
      for (Node doc : new Yaml(options).composeAll(new StringReader(text))) {
        s.walk(doc);
      }
    } catch (YAMLException e) {
      refusals.add("not valid YAML: " + firstLine(e.getMessage()));
    }
    return new Scan(List.copyOf(s.sites), List.copyOf(s.skipped), List.of(), refusals);
  }

  private static String firstLine(String m) {
    if (m == null) {
      return "parse error";
    }
    String flat = m.replace('\n', ' ').replaceAll("\\s+", " ").trim();
    return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
  }

  private void walk(Node node) {
    if (node == null || node instanceof ScalarNode || !seen.add(node)) {
      return;
    }
    if (node instanceof MappingNode) {
      for (NodeTuple t : ((MappingNode) node).getValue()) {
        Node key = t.getKeyNode();
        Node value = t.getValueNode();
        if (key instanceof ScalarNode
            && ((ScalarNode) key).getValue().equals("image")
            && value instanceof ScalarNode) {
          image((ScalarNode) value);
        } else if (key instanceof ScalarNode && ((ScalarNode) key).getValue().equals("image")) {
          continue; // a mapping (such as Helm's repository/tag) is not one reference

        } else {
          walk(value);
        }
      }
    } else if (node instanceof SequenceNode) {
      for (Node child : ((SequenceNode) node).getValue()) {
        walk(child);
      }
    }
  }

  private void image(ScalarNode node) {
    if (!images.add(node)) {
      return; // an alias of an anchored value already seen
    }
    String value = node.getValue();
    int line = node.getStartMark().getLine() + 1;
    if (value.isEmpty()) {
      return;
    }
    if (value.contains("${") || value.contains("{{") || value.startsWith("$")) {
      skipped.add(
          new PinNote(
              file,
              line,
              value,
              PinNote.Kind.TEMPLATED,
              "templated; resolve it where the template is filled in"));
      return;
    }
    DumperOptions.ScalarStyle style = node.getScalarStyle();
    int start = text.offsetByCodePoints(0, node.getStartMark().getIndex());
    int end = text.offsetByCodePoints(0, node.getEndMark().getIndex());
    Optional<Span> span = Optional.empty();
    String raw = text.substring(start, end);
    if (style == DumperOptions.ScalarStyle.PLAIN) {
      int at = raw.indexOf(value);
      if (at >= 0) {
        span = Optional.of(new Span(start + at, start + at + value.length()));
      }
    } else if (style == DumperOptions.ScalarStyle.DOUBLE_QUOTED
        || style == DumperOptions.ScalarStyle.SINGLE_QUOTED) {
      if (raw.length() >= 2 && raw.substring(1, raw.length() - 1).equals(value)) {
        span = Optional.of(new Span(start + 1, end - 1));
      }
    }
    if (span.isEmpty()) {
      skipped.add(
          new PinNote(
              file,
              line,
              value,
              PinNote.Kind.BLOCK_SCALAR,
              "written as a block or escaped scalar; cannot rewrite it in place"));
      return;
    }
    sites.add(
        new Site(
            Site.Kind.YAML_IMAGE,
            Optional.empty(),
            line,
            span,
            value,
            value,
            List.of(Optional.empty())));
  }
}
