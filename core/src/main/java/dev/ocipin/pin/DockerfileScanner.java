package dev.ocipin.pin;

import dev.ocipin.Platform;
import dev.ocipin.pin.DockerfileLexer.Instruction;
import dev.ocipin.pin.DockerfileLexer.Word;
import dev.ocipin.pin.PinNote.Kind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Finds every image reference in a Dockerfile without changing anything: FROM (with flags, AS
 * names, stage references and {@code scratch}), {@code COPY --from} and {@code RUN
 * --mount=...,from=}, and global ARG defaults that feed them. {@link DockerfileLexer} reads the
 * instructions and {@link ArgScope} keeps the ARGs; this class says what each instruction means for
 * pinning.
 */
final class DockerfileScanner {
  private static final Pattern WHOLE_VAR =
      Pattern.compile(
          "^\\$(?:([A-Za-z_][A-Za-z0-9_]*)|\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)(.*))?\\})$");
  private static final Pattern VAR_NAME = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)");

  private final Path file;
  private final DockerfileLexer lexer;
  private final ArgScope args;
  private final Set<String> stages = new HashSet<>();
  private boolean seenFrom;
  private final List<Site> sites = new ArrayList<>();
  private final List<Site> checkOnly = new ArrayList<>();
  private final List<PinNote> skipped = new ArrayList<>();
  private final List<String> refusals = new ArrayList<>();

  private DockerfileScanner(Path file, String text, Map<String, String> buildArgs) {
    this.file = file;
    this.lexer = new DockerfileLexer(text);
    this.args = new ArgScope(buildArgs, lexer.escape());
  }

  static Scan scan(Path file, String text, Map<String, String> buildArgs) {
    DockerfileScanner s = new DockerfileScanner(file, text, buildArgs);
    s.run();
    return new Scan(
        List.copyOf(s.sites),
        List.copyOf(s.skipped),
        List.copyOf(s.checkOnly),
        List.copyOf(s.refusals));
  }

  private void run() {
    if (lexer.refusal().isPresent()) {
      refusals.add(lexer.refusal().get());
      return;
    }
    for (Instruction i : lexer.instructions()) {
      instruction(i.keyword(), i.words(), i.line());
    }
    finishArgs();
  }

  private void note(int line, String reference, Kind kind, String note) {
    skipped.add(new PinNote(file, line, reference, kind, note));
  }

  private void instruction(String keyword, List<Word> words, int line) {
    switch (keyword) {
      case "ARG":
        if (!seenFrom) {
          for (int w = 1; w < words.size(); w++) {
            globalArg(words.get(w), line);
          }
        }
        break;
      case "FROM":
        seenFrom = true;
        from(words, line);
        break;
      case "COPY":
        for (int w = 1; w < words.size() && words.get(w).text.startsWith("--"); w++) {
          Word word = words.get(w);
          if (word.text.startsWith("--from=")) {
            image(word, "--from=".length(), word.text.length(), line, Site.Kind.COPY_FROM, null);
          }
        }
        break;
      case "RUN":
        for (int w = 1; w < words.size() && words.get(w).text.startsWith("--"); w++) {
          Word word = words.get(w);
          if (word.text.startsWith("--mount=")) {
            mountFrom(word, line);
          }
        }
        break;
      default:
        break;
    }
  }

  private void globalArg(Word word, int line) {
    String t = word.text;
    int eq = t.indexOf('=');
    if (eq < 0) {
      args.declare(t, Optional.empty(), line, Optional.empty());
      return;
    }
    int vs = eq + 1;
    int ve = t.length();
    if (ve - vs >= 2
        && (t.charAt(vs) == '"' || t.charAt(vs) == '\'')
        && t.charAt(ve - 1) == t.charAt(vs)) {
      vs++;
      ve--;
    }
    args.declare(t.substring(0, eq), Optional.of(t.substring(vs, ve)), line, word.span(vs, ve));
  }

  private void from(List<Word> words, int line) {
    int w = 1;
    Platform platform = null;
    boolean platformVariable = false;
    for (; w < words.size() && words.get(w).text.startsWith("--"); w++) {
      String flag = words.get(w).text;
      if (flag.toLowerCase(Locale.ROOT).startsWith("--platform=")) {
        String value = flag.substring("--platform=".length());
        if (value.contains("$")) {
          platformVariable = true; // such as $BUILDPLATFORM: left as it is
        } else {
          try {
            platform = Platform.parse(value);
          } catch (IllegalArgumentException e) {
            note(line, flag, Kind.INVALID_PLATFORM, "not a platform: " + e.getMessage());
          }
        }
      }
    }
    if (w >= words.size()) {
      note(line, "", Kind.NO_IMAGE, "FROM without an image");
      return;
    }
    Word image = words.get(w);
    image(image, 0, image.text.length(), line, Site.Kind.FROM, platformVariable ? null : platform);
    if (w + 2 < words.size() && words.get(w + 1).text.equalsIgnoreCase("AS")) {
      // Stage names count from the next instruction on; a FROM cannot name its own stage.
      stages.add(words.get(w + 2).text.toLowerCase(Locale.ROOT));
    }
  }

  private void mountFrom(Word word, int line) {
    String t = word.text;
    int k = "--mount=".length();
    while (k < t.length()) {
      int comma = t.indexOf(',', k);
      int end = comma < 0 ? t.length() : comma;
      String part = t.substring(k, end);
      if (part.startsWith("from=")) {
        image(word, k + "from=".length(), end, line, Site.Kind.RUN_MOUNT_FROM, null);
      }
      k = end + 1;
    }
  }

  private void image(
      Word word, int from, int to, int line, Site.Kind kind, @Nullable Platform platform) {
    String raw = word.text.substring(from, to);
    if (raw.isEmpty()) {
      return;
    }
    String lower = raw.toLowerCase(Locale.ROOT);
    if (lower.equals("scratch")) {
      note(line, raw, Kind.SCRATCH, "scratch is not an image");
      return;
    }
    if (stages.contains(lower)
        || (kind != Site.Kind.FROM && raw.chars().allMatch(Character::isDigit))) {
      note(line, raw, Kind.BUILD_STAGE, "refers to a build stage");
      return;
    }
    Optional<Platform> p = Optional.ofNullable(platform);
    if (raw.indexOf('$') < 0) {
      Optional<Span> span = word.span(from, to);
      if (span.isEmpty()) {
        note(
            line,
            raw,
            Kind.SPLIT_ACROSS_LINES,
            "written across a line continuation; cannot rewrite it in place");
        return;
      }
      sites.add(site(kind, span.get(), raw, raw, p));
      return;
    }
    Matcher whole = WHOLE_VAR.matcher(raw);
    if (whole.matches()) {
      String name = whole.group(1) != null ? whole.group(1) : whole.group(2);
      Optional<ArgScope.Arg> arg = args.get(name);
      String op = whole.group(3);
      if (arg.isPresent() && (arg.get().value != null || op == null)) {
        String value = arg.get().value;
        if (value == null) {
          note(
              line,
              raw,
              Kind.UNSET_VARIABLE,
              "ARG " + name + " has no value; pass it as a build arg to check it");
          return;
        }
        if (stages.contains(value.toLowerCase(Locale.ROOT)) || value.equalsIgnoreCase("scratch")) {
          note(line, raw, Kind.BUILD_STAGE, "refers to a build stage");
          return;
        }
        arg.get().wholeUses.add(p);
        return;
      }
      if (op != null && op.endsWith("-") && (arg.isEmpty() || arg.get().value == null)) {
        // ${VAR:-default} with VAR unset: the inline default is the image; pin it in place.
        String def = whole.group(4);
        int dStart = raw.indexOf(op + def) + op.length();
        int dEnd = dStart + def.length();
        if (def.length() >= 2
            && (def.charAt(0) == '"' || def.charAt(0) == '\'')
            && def.charAt(def.length() - 1) == def.charAt(0)) {
          // ${IMAGE:-"alpine:3.19"}: the image is inside the quotes, and is pinned there.
          def = def.substring(1, def.length() - 1);
          dStart++;
          dEnd--;
        }
        Optional<Span> span = word.span(from + dStart, from + dEnd);
        if (span.isPresent() && def.indexOf('$') < 0 && def.indexOf('"') < 0) {
          sites.add(site(kind, span.get(), def, def, p));
          return;
        }
      }
    }
    Matcher tail = VariableText.TAIL_VAR.matcher(raw);
    if (tail.matches()) {
      String name = tail.group(2) != null ? tail.group(2) : tail.group(3);
      Optional<ArgScope.Arg> arg = args.get(name);
      Optional<String> expanded = args.expand(raw);
      if (arg.isPresent() && arg.get().value != null && expanded.isPresent()) {
        // The ARG is this image's tag: pin its default, where a changed build arg replaces the
        // digest along with the tag. Other variables in the name count as uses inside text.
        markPartialUses(tail.group(1), line);
        arg.get().tailUses.add(new ArgScope.TailUse(raw, expanded.get(), line, p));
        return;
      }
    }
    Optional<VariableText.LiteralTail> literalTag =
        VariableText.literalTagAfterVariables(word, from, to, raw);
    Optional<String> expandedWhole = args.expand(raw);
    if (literalTag.isPresent() && expandedWhole.isPresent()) {
      // ${REGISTRY}/library/alpine:3.19: only the registry varies; the digest goes after the
      // literal tag, where no variable can change the image it names.
      markPartialUses(raw, line);
      Span at = literalTag.get().span();
      sites.add(
          new Site(
              kind,
              Optional.empty(),
              lexer.lineOf(at.start()),
              Optional.of(at),
              literalTag.get().written(),
              expandedWhole.get(),
              List.of(p),
              true));
      return;
    }
    // Built from variables: resolvable for a check, but a digest cannot be written for it.
    markPartialUses(raw, line);
    Optional<String> expanded = args.expand(raw);
    if (expanded.isEmpty()) {
      note(
          line,
          raw,
          Kind.UNSET_VARIABLE,
          "uses a variable with no value (such as $BUILDPLATFORM or an ARG without default)");
      return;
    }
    if (stages.contains(expanded.get().toLowerCase(Locale.ROOT))) {
      // FROM base-${VARIANT}: a stage chosen through a variable, not an image.
      note(line, raw, Kind.BUILD_STAGE, "refers to a build stage");
      return;
    }
    checkOnly.add(
        new Site(
            kind,
            Optional.empty(),
            line,
            word.span(from, to),
            raw,
            expanded.get(),
            List.of(p),
            false));
  }

  private void markPartialUses(String text, int line) {
    Matcher names = VAR_NAME.matcher(text);
    while (names.find()) {
      args.get(names.group(1)).ifPresent(a -> a.partialUses.add(line));
    }
  }

  private Site site(
      Site.Kind kind, Span span, String written, String reference, Optional<Platform> p) {
    return new Site(
        kind,
        Optional.empty(),
        lexer.lineOf(span.start()),
        Optional.of(span),
        written,
        reference,
        List.of(p),
        false);
  }

  private void finishArgs() {
    for (ArgScope.Arg arg : args.all()) {
      if (!arg.tailUses.isEmpty()) {
        finishTag(arg);
      }
      if (arg.wholeUses.isEmpty()) {
        continue;
      }
      if (!arg.partialUses.isEmpty()) {
        refusals.add(
            "ARG "
                + arg.name
                + " feeds FROM as a whole image and also inside other text (line"
                + (arg.partialUses.size() > 1 ? "s " : " ")
                + join(arg.partialUses)
                + "); adding a digest to its default would break those lines");
        continue;
      }
      if (arg.span.isEmpty()) {
        boolean byBuildArg = args.setByBuildArg(arg.name);
        Kind kind =
            byBuildArg
                ? Kind.SET_BY_BUILD_ARG
                : arg.derived ? Kind.BUILT_FROM_VARIABLES : Kind.NOT_REWRITABLE;
        String why =
            byBuildArg
                ? "is set by a build arg, and ocipin pins only what the file says"
                : arg.derived
                    ? "has a default built from other variables ("
                        + arg.written
                        + "); a digest there would outlive a different build arg: pin it by hand"
                    : "has a default that cannot be rewritten in place";
        note(
            arg.line,
            arg.value == null ? arg.name : arg.value,
            kind,
            "ARG " + arg.name + " " + why);
        continue;
      }
      sites.add(
          new Site(
              Site.Kind.ARG_DEFAULT,
              Optional.of(arg.name),
              arg.line,
              arg.span,
              arg.written,
              arg.value,
              List.copyOf(arg.wholeUses),
              false));
    }
  }

  /**
   * An ARG that is the tag of images ({@code ruby:${TAG}}): its default is pinned when that is the
   * only way it is used, all its images are one, and the default is literal; otherwise each image
   * is left for a person to pin, with the reason.
   */
  private void finishTag(ArgScope.Arg arg) {
    Set<String> images = new java.util.TreeSet<>();
    arg.tailUses.forEach(u -> images.add(u.reference()));
    boolean onlyAsTag = arg.wholeUses.isEmpty() && arg.partialUses.isEmpty();
    if (onlyAsTag && images.size() == 1 && arg.span.isPresent()) {
      List<Optional<Platform>> platforms = new ArrayList<>();
      arg.tailUses.forEach(u -> platforms.add(u.platform()));
      sites.add(
          new Site(
              Site.Kind.ARG_DEFAULT,
              Optional.of(arg.name),
              arg.line,
              arg.span,
              arg.written,
              images.iterator().next(),
              platforms,
              true));
      return;
    }
    String why =
        !onlyAsTag
            ? "ARG " + arg.name + " is also used elsewhere"
            : images.size() > 1
                ? "ARG " + arg.name + " is the tag of " + images.size() + " different images"
                : args.setByBuildArg(arg.name)
                    ? "ARG " + arg.name + " is set by a build arg"
                    : "the default of ARG " + arg.name + " is built from other variables";
    for (ArgScope.TailUse u : arg.tailUses) {
      note(
          u.line(),
          u.written(),
          Kind.BUILT_FROM_VARIABLES,
          "built from variables ("
              + u.reference()
              + "); "
              + why
              + ", so no digest can be written for it: pin it by hand, or give it an ARG of its"
              + " own");
    }
  }

  private static String join(Set<Integer> lines) {
    StringBuilder sb = new StringBuilder();
    for (int l : lines) {
      sb.append(sb.length() == 0 ? "" : ", ").append(l);
    }
    return sb.toString();
  }
}
