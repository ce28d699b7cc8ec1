package dev.ocipin.pin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Finds the files of a project that name images: Dockerfiles, compose files, Kubernetes YAML. */
public final class PinFiles {
  private static final Pattern DOCKERFILE_NAME =
      Pattern.compile("(?i)^(dockerfile.*|.*\\.dockerfile)$");
  private static final Pattern COMPOSE_NAME = Pattern.compile("(?i)^(docker-)?compose.*\\.ya?ml$");
  private static final Pattern GITLAB_CI = Pattern.compile("(?i)^\\.gitlab-ci\\.ya?ml$");
  // Block style at the start of a line, or flow style ({apiVersion: v1, kind: Pod, ...}).
  private static final Pattern API_VERSION = Pattern.compile("(?m)(^|[{,]\\s*)apiVersion\\s*:");
  private static final Pattern KIND = Pattern.compile("(?m)(^|[{,]\\s*)kind\\s*:");

  private PinFiles() {}

  /**
   * Finds the files to pin under {@code path}: the path itself if it is a file, else {@code
   * Dockerfile*}, {@code *.dockerfile}, {@code compose*.y*ml}, {@code docker-compose*.y*ml}, GitHub
   * Actions workflows ({@code .github/workflows/*.y*ml}), {@code .gitlab-ci.yml}, a Helm chart's
   * {@code values*.yaml} and templates (which Pinner notes once per chart), and YAML files that
   * look like Kubernetes manifests ({@code apiVersion:} and {@code kind:}, block or flow style).
   * Other hidden directories, {@code node_modules} and {@code target} are skipped. Sorted by path.
   *
   * @throws IOException when the directory cannot be read
   */
  public static List<Path> find(Path path) throws IOException {
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    List<Path> found = new ArrayList<>();
    Files.walkFileTree(
        path,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
            boolean workflows =
                name.equals(".github")
                    || (name.equals("workflows")
                        && dir.getParent() != null
                        && dir.getParent().getFileName() != null
                        && dir.getParent().getFileName().toString().equals(".github"));
            boolean skip =
                !dir.equals(path)
                    && !workflows
                    && (name.startsWith(".")
                        || name.equals("node_modules")
                        || name.equals("target"));
            return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            String name = file.getFileName().toString();
            if (DOCKERFILE_NAME.matcher(name).matches()
                || COMPOSE_NAME.matcher(name).matches()
                || GITLAB_CI.matcher(name).matches()
                || (isYaml(file) && isWorkflow(file))
                || (isYaml(file) && name.startsWith("values") && chartOf(file).isPresent())) {
              found.add(file);
            } else if (isYaml(file) && looksLikeKubernetes(file)) {
              // A chart's templates are found too: Pinner notes them once per chart.
              found.add(file);
            }
            return FileVisitResult.CONTINUE;
          }
        });
    found.sort(Comparator.naturalOrder());
    return found;
  }

  /**
   * Returns the Helm chart (the directory holding {@code Chart.yaml}) that {@code file} is a
   * template of ({@code CHART/templates/...}), or, for {@code CHART/values*.yaml}, the chart whose
   * values it holds; empty for any other file.
   */
  static java.util.Optional<Path> chartOf(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null && Files.exists(dir.resolve("Chart.yaml"))) {
      return java.util.Optional.of(dir);
    }
    for (Path d = dir; d != null && d.getParent() != null; d = d.getParent()) {
      if (d.getFileName() != null
          && d.getFileName().toString().equals("templates")
          && Files.exists(d.getParent().resolve("Chart.yaml"))) {
        return java.util.Optional.of(d.getParent());
      }
    }
    return java.util.Optional.empty();
  }

  /** Whether {@code file} is a Helm template: not YAML until the chart is rendered. */
  static boolean isHelmTemplate(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    return chartOf(file).isPresent() && !(dir != null && Files.exists(dir.resolve("Chart.yaml")));
  }

  private static boolean isWorkflow(Path file) {
    Path dir = file.getParent();
    return dir != null
        && dir.getFileName() != null
        && dir.getFileName().toString().equals("workflows")
        && dir.getParent() != null
        && dir.getParent().getFileName() != null
        && dir.getParent().getFileName().toString().equals(".github");
  }

  static boolean isYaml(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".yaml") || n.endsWith(".yml");
  }

  private static boolean looksLikeKubernetes(Path file) throws IOException {
    if (Files.size(file) > 4 << 20) {
      return false;
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    return API_VERSION.matcher(text).find() && KIND.matcher(text).find();
  }
}
