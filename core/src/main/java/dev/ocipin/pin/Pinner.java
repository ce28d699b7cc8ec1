package dev.ocipin.pin;

import dev.ocipin.DigestResolver;
import dev.ocipin.ImageReference;
import dev.ocipin.InvalidReferenceException;
import dev.ocipin.Platform;
import dev.ocipin.pin.CheckEntry.Status;
import dev.ocipin.pin.PinNote.Kind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Pins the image references of Dockerfiles, docker-compose files and Kubernetes manifests to
 * digests, and checks pinned references for drift.
 *
 * <pre>{@code
 * Pinner pinner = Pinner.builder(DigestResolver.create()).build();
 * PinPlan plan = pinner.plan(List.of(Path.of("Dockerfile")));
 * System.out.print(plan.diff());
 * plan.apply();
 *
 * CheckReport report = pinner.check(List.of(Path.of("Dockerfile")));
 * report.allCurrent();   // the CI gate
 * }</pre>
 *
 * <p>A compiled, runnable version of this is {@code dev.ocipin.examples.PinAllPlatforms} in
 * ocipin-examples.
 *
 * <p>By default a reference is pinned to its index digest, which serves every platform, and the
 * reference keeps its spelling: {@code FROM ruby:3.3.0-slim} becomes {@code FROM
 * ruby:3.3.0-slim@sha256:...}. {@link Builder#platform} pins one platform's manifest instead (a
 * FROM's literal {@code --platform} then wins for that FROM). Nothing else in a file changes:
 * bytes, comments, line endings, continuation lines and directives are kept.
 *
 * <p>A check needs only HEAD requests for references pinned to the current index digest and for
 * unpinned ones; Docker Hub counts no pull for them. A per-platform pin, or a tag that moved, needs
 * one GET of the current index to tell what moved.
 *
 * <p>A pinner is immutable and thread-safe. {@code plan} and {@code check} block while the registry
 * answers, resolving every distinct reference concurrently, once.
 */
public final class Pinner {

  private final Lookup lookup;
  private final @Nullable Platform platform;
  private final boolean update;
  private final Rewriter rewriter;
  private final Map<String, String> buildArgs;
  private final @Nullable Consumer<String> progress;

  private Pinner(Builder b) {
    this.lookup = Objects.requireNonNull(b.lookup);
    this.platform = b.platform;
    this.update = b.update != null && b.update;
    this.rewriter =
        new Rewriter(
            b.form != null ? b.form : ReferenceForm.KEEP, b.bareTagless != null && b.bareTagless);
    this.buildArgs = Map.copyOf(b.buildArgs);
    this.progress = b.progress;
  }

  /** Returns a builder that resolves with {@code resolver}. */
  public static Builder builder(DigestResolver resolver) {
    return new Builder(Lookup.of(Objects.requireNonNull(resolver, "resolver")));
  }

  static Builder builder(Lookup lookup) {
    return new Builder(lookup);
  }

  /** Builds a {@link Pinner}. Not thread-safe; the pinner is. */
  public static final class Builder {
    private final Lookup lookup;
    private @Nullable Platform platform;
    private @Nullable ReferenceForm form;
    private @Nullable Boolean update;
    private @Nullable Boolean bareTagless;
    private final Map<String, String> buildArgs = new LinkedHashMap<>();
    private @Nullable Consumer<String> progress;

    private Builder(Lookup lookup) {
      this.lookup = lookup;
    }

    /**
     * Pins {@code platform}'s manifest instead of the index. A FROM with a literal {@code
     * --platform} uses that platform; {@code --platform=$BUILDPLATFORM} is left as it is.
     */
    public Builder platform(Platform platform) {
      once(this.platform, "platform");
      this.platform = Objects.requireNonNull(platform, "platform");
      return this;
    }

    /** Writes pinned references in {@code form}; default {@link ReferenceForm#KEEP}. */
    public Builder form(ReferenceForm form) {
      once(this.form, "form");
      this.form = Objects.requireNonNull(form, "form");
      return this;
    }

    /**
     * Re-pins references whose tag has moved. Without it, a drifted reference is reported and left
     * alone. A per-platform pin stays per-platform.
     */
    public Builder update(boolean update) {
      once(this.update, "update");
      this.update = update;
      return this;
    }

    /**
     * Pins a reference written without a tag ({@code FROM busybox}) as {@code busybox@sha256:...}
     * instead of the default {@code busybox:latest@sha256:...}. The default keeps drift detectable:
     * a bare {@code name@digest} names no tag to compare with.
     */
    public Builder bareTagless(boolean bare) {
      once(this.bareTagless, "bare tagless");
      this.bareTagless = bare;
      return this;
    }

    /** Sets a global ARG as {@code docker build --build-arg NAME=VALUE} would. */
    public Builder buildArg(String name, String value) {
      Objects.requireNonNull(name, "name");
      if (buildArgs.containsKey(name)) {
        throw new IllegalStateException(
            "build arg " + name + " was already set to " + buildArgs.get(name));
      }
      buildArgs.put(name, Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Receives a line of progress per resolved reference, such as for a terminal. */
    public Builder progress(Consumer<String> progress) {
      once(this.progress, "progress");
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    private static void once(@Nullable Object current, String what) {
      if (current != null) {
        throw new IllegalStateException(what + " was already set to " + current);
      }
    }

    /** Builds the pinner. */
    public Pinner build() {
      return new Pinner(this);
    }
  }

  /** The platform a site is pinned for in per-platform mode, or null for the index. */
  private @Nullable Platform platformFor(Site site) {
    if (platform == null) {
      return null;
    }
    return site.platforms().isEmpty() || site.platforms().get(0).isEmpty()
        ? platform
        : site.platforms().get(0).get();
  }

  /** Per-platform mode: the distinct platforms an ARG default would have to serve. */
  private Set<Platform> platformsFor(Site site) {
    Set<Platform> out = new HashSet<>();
    for (Optional<Platform> p : site.platforms()) {
      out.add(p.orElse(platform));
    }
    return out;
  }

  /**
   * Works out every edit for {@code files} without writing anything. A file in which any reference
   * fails to resolve, or which cannot be pinned safely, gets no edit; {@link PinPlan#failures()}
   * says why.
   */
  public PinPlan plan(Collection<Path> files) {
    Evaluation eval = new Evaluation(lookup);
    List<ScannedFile> scanned = files.stream().map(f -> ScannedFile.read(f, buildArgs)).toList();
    Map<Site, CompletableFuture<Evaluation.Outcome>> outcomes = new LinkedHashMap<>();
    Map<Site, ImageReference> refs = new LinkedHashMap<>();
    List<PinNote> notes = new ArrayList<>();
    List<PinNote> failures = new ArrayList<>();
    for (ScannedFile f : scanned) {
      if (!(f instanceof ScannedFile.Read)) {
        continue;
      }
      for (Site site : ((ScannedFile.Read) f).scan().sites()) {
        try {
          ImageReference ref = ImageReference.parse(site.reference());
          refs.put(site, ref);
          outcomes.put(site, tracked(eval.evaluate(ref, platformFor(site)), site));
        } catch (InvalidReferenceException e) {
          // reported per file below
        }
      }
    }
    List<PinChange> changes = new ArrayList<>();
    int alreadyPinned = 0;
    Map<Path, String> newTexts = new LinkedHashMap<>();
    Map<Path, String> oldTexts = new LinkedHashMap<>();
    Set<Path> charts = new java.util.LinkedHashSet<>();
    for (ScannedFile f : scanned) {
      if (f instanceof ScannedFile.HelmTemplate) {
        noteChart((ScannedFile.HelmTemplate) f, charts, notes);
        continue;
      }
      if (f instanceof ScannedFile.Unreadable) {
        String why = ((ScannedFile.Unreadable) f).why();
        failures.add(new PinNote(f.file(), 0, "", Kind.FILE_FAILURE, why + "; left untouched"));
        continue;
      }
      ScannedFile.Read s = (ScannedFile.Read) f;
      Scan scan = s.scan();
      notes.addAll(scan.skipped());
      for (Site site : scan.checkOnly()) {
        notes.add(builtFromVariables(s.file(), site));
      }
      // Why the file cannot be pinned, each with its kind; a missing tag is told apart.
      Map<String, Kind> problems = new LinkedHashMap<>();
      scan.refusals().forEach(r -> problems.put(r, Kind.FILE_FAILURE));
      List<Rewriter.Edit> edits = new ArrayList<>();
      for (Site site : scan.sites()) {
        ImageReference ref = refs.get(site);
        if (ref == null) {
          problems.put(
              "line "
                  + site.line()
                  + ": "
                  + site.written()
                  + " is not an image reference: "
                  + invalidReason(site),
              Kind.FILE_FAILURE);
          continue;
        }
        if (platform != null
            && site.kind() == Site.Kind.ARG_DEFAULT
            && platformsFor(site).size() > 1) {
          problems.put(
              site.describe()
                  + " (line "
                  + site.line()
                  + ") feeds FROM lines for "
                  + platformsFor(site)
                  + ", which need different digests; give each its own ARG, or pin the index"
                  + " digest (without --platform)",
              Kind.FILE_FAILURE);
          continue;
        }
        Evaluation.Outcome o = outcomes.get(site).join();
        switch (o.status()) {
          case NOT_FOUND:
          case ERROR:
            problems.put(
                "line " + site.line() + ": " + site.written() + ": " + o.detail(),
                o.status() == Status.NOT_FOUND ? Kind.NOT_FOUND : Kind.FILE_FAILURE);
            break;
          case UNPINNED:
            edits.add(
                rewriter.edit(
                    s.file(),
                    site,
                    ref,
                    o.target(),
                    platformFor(site) == null
                        ? "pin index digest"
                        : "pin " + platformFor(site) + " manifest digest"));
            break;
          case DRIFTED:
            if (update) {
              edits.add(rewriter.edit(s.file(), site, ref, o.target(), "re-pin: " + o.detail()));
            } else {
              notes.add(
                  new PinNote(
                      s.file(),
                      site.line(),
                      site.written(),
                      Kind.DRIFTED_NOT_UPDATED,
                      "drifted: " + o.detail() + "; use --update to re-pin"));
            }
            break;
          case PINNED_CURRENT:
            alreadyPinned++;
            break;
          default:
            break;
        }
      }
      if (!problems.isEmpty()) {
        problems.forEach(
            (p, kind) ->
                failures.add(new PinNote(s.file(), 0, "", kind, p + "; file left untouched")));
        continue;
      }
      if (!edits.isEmpty()) {
        edits.stream()
            .map(Rewriter.Edit::change)
            .sorted(Comparator.comparingInt(PinChange::line))
            .forEach(changes::add);
        oldTexts.put(s.file(), s.text());
        newTexts.put(s.file(), Rewriter.apply(s.text(), edits));
      }
    }
    return new PinPlan(changes, notes, failures, oldTexts, newTexts, alreadyPinned);
  }

  /** Notes a Helm template's chart, once per chart however many of its templates there are. */
  private static void noteChart(ScannedFile.HelmTemplate t, Set<Path> charts, List<PinNote> notes) {
    if (charts.add(t.chart())) {
      notes.add(helmTemplates(t));
    }
  }

  private static PinNote helmTemplates(ScannedFile.HelmTemplate t) {
    return new PinNote(
        t.chart().resolve("templates"),
        0,
        "",
        Kind.HELM_TEMPLATE,
        "Helm templates are not YAML until the chart is rendered; pin the images in the chart's"
            + " values.yaml (complete references are pinned there)");
  }

  /** Why a reference built from variables is checked but not pinned; pin and check both say it. */
  private static PinNote builtFromVariables(Path file, Site site) {
    return new PinNote(
        file,
        site.line(),
        site.written(),
        Kind.BUILT_FROM_VARIABLES,
        "built from variables ("
            + site.reference()
            + "); a digest written here would silently outlive a different build arg, so pin it"
            + " by hand or move the image into one ARG");
  }

  private static String invalidReason(Site site) {
    try {
      ImageReference.parse(site.reference());
      return "";
    } catch (InvalidReferenceException e) {
      return e.getMessage();
    }
  }

  private CompletableFuture<Evaluation.Outcome> tracked(
      CompletableFuture<Evaluation.Outcome> f, Site site) {
    if (progress == null) {
      return f;
    }
    return f.whenComplete(
        (o, e) ->
            progress.accept(
                o == null ? site.reference() : o.status().label() + " " + site.reference()));
  }

  /**
   * Checks each reference in {@code files} against what its tag resolves to now. Never throws for a
   * reference: failures are {@link Status#ERROR} or {@link Status#NOT_FOUND} entries.
   */
  public CheckReport check(Collection<Path> files) {
    Evaluation eval = new Evaluation(lookup);
    Set<Path> charts = new java.util.LinkedHashSet<>();
    List<PinNote> notes = new ArrayList<>();
    List<CheckEntry> entries = new ArrayList<>();
    List<CompletableFuture<CheckEntry>> pending = new ArrayList<>();
    for (Path file : files) {
      ScannedFile f = ScannedFile.read(file, buildArgs);
      if (f instanceof ScannedFile.HelmTemplate) {
        noteChart((ScannedFile.HelmTemplate) f, charts, notes);
        continue;
      }
      if (f instanceof ScannedFile.Unreadable) {
        String why = ((ScannedFile.Unreadable) f).why();
        entries.add(
            new CheckEntry(file, 0, "", Status.ERROR, Optional.empty(), Optional.empty(), why));
        continue;
      }
      ScannedFile.Read s = (ScannedFile.Read) f;
      // What pin refuses to rewrite, check cannot vouch for: an error, never a silent pass.
      for (String r : s.scan().refusals()) {
        entries.add(
            new CheckEntry(file, 0, "", Status.ERROR, Optional.empty(), Optional.empty(), r));
      }
      List<Site> all = new ArrayList<>(s.scan().sites());
      all.addAll(s.scan().checkOnly());
      s.scan().checkOnly().forEach(site -> notes.add(builtFromVariables(file, site)));
      all.sort(Comparator.comparingInt(Site::line));
      for (Site site : all) {
        ImageReference ref;
        try {
          ref = ImageReference.parse(site.reference());
        } catch (InvalidReferenceException e) {
          entries.add(
              new CheckEntry(
                  file,
                  site.line(),
                  site.reference(),
                  Status.ERROR,
                  Optional.empty(),
                  Optional.empty(),
                  e.getMessage()));
          continue;
        }
        pending.add(
            tracked(eval.evaluate(ref, platformFor(site)), site)
                .thenApply(
                    o ->
                        new CheckEntry(
                            file,
                            site.line(),
                            site.reference(),
                            o.status(),
                            Optional.ofNullable(o.pinned()),
                            Optional.ofNullable(o.target()),
                            o.detail())));
      }
      notes.addAll(s.scan().skipped());
    }
    pending.forEach(p -> entries.add(p.join()));
    entries.sort(
        Comparator.comparing((CheckEntry e) -> e.file().toString())
            .thenComparingInt(CheckEntry::line));
    return new CheckReport(entries, notes);
  }
}
