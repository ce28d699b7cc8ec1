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
 * Finds image references in YAML files with a real YAML parse, and reports where each value is
 * written so that only its text is replaced: comments, quoting, indentation and key order stay as
 * they are. What counts as an image:
 *
 * <ul>
 *   <li>{@code image:} scalars anywhere: compose services, Kubernetes containers, init and
 *       ephemeral containers of any pod spec, custom resources, GitHub Actions {@code container:}
 *       and {@code services:} mappings;
 *   <li>GitLab CI's {@code image: {name: ...}} and its {@code services:} lists (strings, or
 *       mappings with {@code name:}); Kubernetes image volumes, {@code image: {reference: ...}};
 *   <li>in GitHub Actions workflows, a {@code container:} string and {@code uses: docker://IMAGE}.
 * </ul>
 *
 * <p>Not images: a compose service with both {@code build:} and {@code image:} (the image is the
 * one being built, as Renovate also reads it: noted), and the {@code data} of a Kubernetes
 * ConfigMap or Secret. A value that is not a reference is a note for that value, not a failure of
 * the file. An alias ({@code image: *base}) is the anchored node itself, so it is rewritten once,
 * where the anchor is defined; aliases are never expanded, so alias bombs cost nothing, and any
 * number of {@code <<: *defaults} merges is accepted. Templated values ({@code ${...}}, {@code {{
 * }}}) are noted and skipped.
 */
final class YamlScanner {
  private final Path file;
  private final String text;
  private final List<Site> sites = new ArrayList<>();
  private final List<PinNote> skipped = new ArrayList<>();
  private final Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Node> images = Collections.newSetFromMap(new IdentityHashMap<>());

  private final boolean githubWorkflow;

  private YamlScanner(Path file, String text) {
    this.file = file;
    this.text = text;
    String path = file.toString().replace('\\', '/');
    this.githubWorkflow = path.contains(".github/workflows/");
  }

  static Scan scan(Path file, String text) {
    YamlScanner s = new YamlScanner(file, text);
    List<String> refusals = new ArrayList<>();
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      // Nodes are walked, never constructed, so an alias costs one visit however it nests: the
      // count bound is only against absurd files; the code point limit bounds the size.
      options.setMaxAliasesForCollections(100_000);
      for (Node doc : new Yaml(options).composeAll(new StringReader(text))) {
        s.walk(doc);
      }
    } catch (YAMLException e) {
      refusals.add("not valid YAML: " + firstLine(e.getMessage()));
    }
    return new Scan(List.copyOf(s.sites), List.copyOf(s.skipped), List.of(), refusals);
  }

  private static boolean isReference(String value) {
    try {
      dev.ocipin.ImageReference.parse(value);
      return true;
    } catch (dev.ocipin.InvalidReferenceException e) {
      return false;
    }
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
      MappingNode map = (MappingNode) node;
      Optional<Node> kind = value(map, "kind");
      if (kind.isPresent()
          && kind.get() instanceof ScalarNode
          && Set.of("ConfigMap", "Secret").contains(((ScalarNode) kind.get()).getValue())) {
        return; // configuration data, not images, whatever its keys say
      }
      boolean builtHere = value(map, "build").isPresent();
      for (NodeTuple t : map.getValue()) {
        String key =
            t.getKeyNode() instanceof ScalarNode ? ((ScalarNode) t.getKeyNode()).getValue() : "";
        Node value = t.getValueNode();
        if (key.equals("image") && value instanceof ScalarNode) {
          if (builtHere) {
            note(
                (ScalarNode) value,
                PinNote.Kind.BUILT_HERE,
                "names the image this service builds (build: and image:), not one to pull");
          } else {
            image((ScalarNode) value, ((ScalarNode) value).getValue());
          }
        } else if (key.equals("image") && value instanceof MappingNode) {
          // GitLab CI: image: {name: ..., entrypoint: [...]}; a Kubernetes image volume:
          // volumes: [{name: v, image: {reference: ..., pullPolicy: ...}}]. Helm's
          // {repository, tag} has neither, and is left alone.
          MappingNode m = (MappingNode) value;
          value(m, "name")
              .or(() -> value(m, "reference"))
              .filter(n -> n instanceof ScalarNode)
              .ifPresent(n -> image((ScalarNode) n, ((ScalarNode) n).getValue()));
        } else if (key.equals("services") && value instanceof SequenceNode) {
          // GitLab CI: services: [postgres:16, {name: redis:7, alias: cache}]
          for (Node entry : ((SequenceNode) value).getValue()) {
            if (entry instanceof ScalarNode) {
              image((ScalarNode) entry, ((ScalarNode) entry).getValue());
            } else if (entry instanceof MappingNode) {
              value((MappingNode) entry, "name")
                  .filter(n -> n instanceof ScalarNode)
                  .ifPresent(n -> image((ScalarNode) n, ((ScalarNode) n).getValue()));
            }
          }
        } else if (githubWorkflow && key.equals("container") && value instanceof ScalarNode) {
          image((ScalarNode) value, ((ScalarNode) value).getValue());
        } else if (githubWorkflow
            && key.equals("uses")
            && value instanceof ScalarNode
            && ((ScalarNode) value).getValue().startsWith("docker://")) {
          String v = ((ScalarNode) value).getValue();
          image((ScalarNode) value, v.substring("docker://".length()));
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

  private static Optional<Node> value(MappingNode map, String key) {
    for (NodeTuple t : map.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode
          && ((ScalarNode) t.getKeyNode()).getValue().equals(key)) {
        return Optional.of(t.getValueNode());
      }
    }
    return Optional.empty();
  }

  private void note(ScalarNode node, PinNote.Kind kind, String why) {
    skipped.add(new PinNote(file, node.getStartMark().getLine() + 1, node.getValue(), kind, why));
  }

  /**
   * {@code reference} is the node's value, or its tail after a prefix such as {@code docker://}.
   */
  private void image(ScalarNode node, String reference) {
    if (!images.add(node)) {
      return; // an alias of an anchored value already seen
    }
    String value = reference;
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
    if (!isReference(value)) {
      skipped.add(
          new PinNote(
              file,
              line,
              value,
              PinNote.Kind.NOT_A_REFERENCE,
              "not an image reference; left alone"));
      return;
    }
    if (style == DumperOptions.ScalarStyle.PLAIN) {
      int at = raw.indexOf(value);
      if (at >= 0) {
        span = Optional.of(new Span(start + at, start + at + value.length()));
      }
    } else if (style == DumperOptions.ScalarStyle.DOUBLE_QUOTED
        || style == DumperOptions.ScalarStyle.SINGLE_QUOTED) {
      String inner = raw.length() >= 2 ? raw.substring(1, raw.length() - 1) : "";
      if (inner.endsWith(value) && inner.equals(node.getValue())) {
        int from = start + 1 + inner.length() - value.length();
        span = Optional.of(new Span(from, end - 1));
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
            List.of(Optional.empty()),
            false));
  }
}
