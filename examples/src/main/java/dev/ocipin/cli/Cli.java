package dev.ocipin.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ocipin.DigestResolver;
import dev.ocipin.InvalidReferenceException;
import dev.ocipin.NoMatchingPlatformException;
import dev.ocipin.Platform;
import dev.ocipin.ResolvedIndex;
import dev.ocipin.ResolvedManifest;
import dev.ocipin.auth.CredentialChain;
import dev.ocipin.auth.CredentialProvider;
import dev.ocipin.model.Descriptor;
import dev.ocipin.pin.CheckEntry;
import dev.ocipin.pin.CheckReport;
import dev.ocipin.pin.PinFiles;
import dev.ocipin.pin.PinNote;
import dev.ocipin.pin.PinPlan;
import dev.ocipin.pin.Pinner;
import dev.ocipin.registry.ManifestNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Parses arguments, runs one command, and maps failures to exit codes. */
final class Cli {
  /** Exit code: done, and the answer is yes (resolved, pinned, all current). */
  static final int OK = 0;

  /**
   * Exit code: the registry answered, and the answer is no: a reference, tag or platform not found;
   * references drifted or unpinned ({@code check}); a file left unpinned for a missing tag ({@code
   * pin}).
   */
  static final int NO = 1;

  /**
   * Exit code: the command could not do its job: a usage error, invalid input, an unreadable file,
   * or a registry that could not be asked (network, TLS, credentials, rate limit).
   */
  static final int ERROR = 2;

  private static final int PROGRESS_AFTER = 10;

  private static final String USAGE =
      String.join(
          "\n",
          "usage: ocipin [options] <command> [options] [operands]",
          "",
          "commands:",
          "  inspect REF                 show what REF points to: index, platforms, attestations,",
          "                              and the FROM line that pins it",
          "  digest REF                  print the digest REF names (HEAD only), or with --platform",
          "                              one platform's manifest digest",
          "  pin FILE|DIR...             pin every image in Dockerfiles, compose and Kubernetes files",
          "                              --dry-run (print a diff), --update (re-pin moved tags),",
          "                              --form familiar|canonical|keep, --build-arg NAME=VALUE,",
          "                              --bare-tagless (FROM busybox -> busybox@sha256:..., not",
          "                              busybox:latest@sha256:...)",
          "  check FILE|DIR...           report pinned-current, drifted, unpinned, not-found, error",
          "",
          "options (a command refuses one it does not use):",
          "  --json                      machine-readable output",
          "  --platform OS/ARCH[/VAR]    one platform's manifest instead of the index (digest, pin,",
          "                              check)",
          "  --insecure-registry HOST    reach HOST (or a CIDR range) over plain HTTP, with no TLS",
          "                              attempt (repeatable); loopback registries are tried over",
          "                              HTTPS first and over plain HTTP when they speak no TLS",
          "  --ca-cert FILE              trust the CA certificates of PEM FILE for every registry,",
          "                              besides the JVM's and the certs.d directories (repeatable)",
          "  --source oci-layout://DIR   answer every image from the OCI layout DIR, offline (an",
          "                              entry's ref name is the full reference); also as a mirror:",
          "                              --registry-mirror R=oci-layout://DIR",
          "  --fallback-to-registry      ask the registry when a layout lacks an image",
          "  --registry-mirror R=HOST    try HOST first for images of registry R, as a pull-through",
          "                              cache (repeatable; falls back to R)",
          "  --version                   print the version",
          "",
          "exit codes, for every command:",
          "  0  done: resolved, pinned, or every reference pinned and current",
          "  1  the answer is no: not found (reference, tag or platform), drifted or unpinned,",
          "     or (pin) references left that only a person can pin, with a note for each",
          "  2  could not do it: usage, invalid input, unreadable file, or the registry could not",
          "     be asked (network, TLS, credentials, rate limit)");

  private final List<DigestResolver> opened = new ArrayList<>();

  /** Whether this run spoke TLS, for the launcher's choice of start-up cache. */
  private final @Nullable ConnectionMemo memo = ConnectionMemo.fromEnvironment();

  private final PrintStream out;
  private final PrintStream err;

  /** Where credentials come from: the default chain, or (in tests) a fixed provider. */
  private final CredentialProvider credentials;

  Cli(PrintStream out, PrintStream err) {
    this(out, err, null);
  }

  Cli(PrintStream out, PrintStream err, @Nullable CredentialProvider credentials) {
    this.out = out;
    this.err = err;
    this.credentials = credentials != null ? credentials : CredentialChain.defaultChain();
  }

  int run(String[] args) {
    List<String> all = List.of(args);
    if (all.isEmpty()
        || all.contains("-h")
        || all.contains("--help")
        || all.equals(List.of("help"))) {
      (all.isEmpty() ? err : out).println(USAGE);
      return all.isEmpty() ? ERROR : OK;
    }
    if (all.contains("--version")) {
      out.println("ocipin " + version());
      // Set by the launcher script (examples/target/ocipin), for bug reports.
      String start = System.getenv("OCIPIN_START_MODE");
      out.println(
          "java "
              + System.getProperty("java.version")
              + ", start: "
              + (start != null ? start : "java -jar (no launcher)"));
      return OK;
    }
    try {
      Options o = Options.parse(args);
      switch (o.command) {
        case "inspect":
          return inspect(o);
        case "digest":
          return digest(o);
        case "pin":
          return pin(o);
        default:
          return check(o);
      }
    } catch (Options.UsageException | InvalidReferenceException e) {
      err.println("ocipin: " + e.getMessage());
      return ERROR;
    } catch (ManifestNotFoundException | NoMatchingPlatformException e) {
      err.println("ocipin: " + e.getMessage());
      return NO;
    } catch (IOException | RuntimeException e) {
      err.println("ocipin: " + oneLine(e));
      return ERROR;
    } finally {
      // Release the HTTP client before exiting: on JDK 21 and later the JVM then exits at once
      // instead of waiting for its selector thread.
      opened.forEach(DigestResolver::close);
      if (!opened.isEmpty() && memo != null) {
        memo.save();
      }
      opened.clear();
    }
  }

  /** The version of the jar, as Maven wrote it into the manifest; "development" when unpackaged. */
  static String version() {
    String v = Cli.class.getPackage().getImplementationVersion();
    return v == null ? "development build" : v;
  }

  private static String oneLine(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.replace('\n', ' ');
  }

  private DigestResolver resolver(Options o) {
    DigestResolver.Builder b = DigestResolver.builder().credentials(credentials);
    if (memo != null) {
      b.listener(memo);
    }
    o.insecure.forEach(b::insecureRegistry);
    o.caCerts.forEach(b::trustCertificates);
    if (o.source != null) {
      b.layoutSource(o.source);
    }
    if (o.fallBack) {
      b.fallBackFromLayouts();
    }
    o.mirrors.forEach(m -> b.mirror(m.getKey(), m.getValue()));
    DigestResolver r = b.build();
    opened.add(r);
    return r;
  }

  private static String onlyReference(Options o, String command) throws Options.UsageException {
    if (o.operands.size() != 1) {
      throw new Options.UsageException(
          command + " takes exactly one image reference, got " + o.operands.size());
    }
    return o.operands.get(0);
  }

  private int inspect(Options o) throws Options.UsageException, IOException {
    String ref = onlyReference(o, "inspect");
    ResolvedIndex idx = resolver(o).resolveIndex(ref);
    if (o.json) {
      out.println(Json.write(Json.index(idx)));
      return OK;
    }
    out.println("Name:   " + idx.reference() + " (Type: " + idx.mediaType() + ")");
    out.println("Digest: " + idx.digest());
    if (idx.isIndex()) {
      out.printf(
          " * Contains %d manifest references (%d images, %d attestations):%n",
          idx.manifests().size(), idx.images().size(), idx.attestations().size());
      int n = 1;
      for (Descriptor d : idx.manifests()) {
        String p = "[" + n++ + "]";
        // manifest-tool's layout: labels right-aligned after the entry number.
        out.println(p + "     Type: " + d.mediaType());
        out.println(p + "   Digest: " + d.digest());
        out.println(p + "   Length: " + d.size());
        if (d.isAttestation()) {
          out.println(
              p + "     Kind: attestation" + d.attestedDigest().map(a -> " for " + a).orElse(""));
        } else if (d.platform().isPresent()) {
          Platform pl = d.platform().get();
          out.println(p + " Platform:");
          out.println(p + "    -      OS: " + pl.os());
          pl.osVersion().ifPresent(v -> out.println(p + "    - OS Vers: " + v));
          out.println(p + "    -    Arch: " + pl.architecture());
          pl.variant().ifPresent(v -> out.println(p + "    - Variant: " + v));
        }
      }
    } else {
      out.println(" * A single manifest, not an index: the digest pins one platform only.");
    }
    out.println();
    if (idx.reference().isLayout()) {
      // A Dockerfile cannot name a layout; BuildKit takes it as a named build context.
      out.println("--build-context NAME=" + idx.pinned() + "   (then FROM NAME)");
    } else {
      out.println("FROM " + idx.pinned());
    }
    return OK;
  }

  private int digest(Options o) throws Options.UsageException, IOException {
    String ref = onlyReference(o, "digest");
    DigestResolver r = resolver(o);
    if (o.platform != null) {
      ResolvedManifest m = r.resolve(ref, o.platform);
      if (o.json) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("reference", m.reference().toString());
        n.put("digest", m.digest().toString());
        n.put("platform", m.platform().toString());
        m.indexDigest().ifPresent(d -> n.put("indexDigest", d.toString()));
        n.put("pinned", m.pinned().toString());
        out.println(Json.write(n));
      } else {
        out.println(m.digest());
      }
      return OK;
    }
    dev.ocipin.ImageReference parsed = dev.ocipin.ImageReference.parse(ref);
    dev.ocipin.Digest d = r.digest(parsed);
    if (o.json) {
      ObjectNode n = Json.MAPPER.createObjectNode();
      n.put("reference", parsed.toString());
      n.put("digest", d.toString());
      n.put("pinned", parsed.withDigest(d).toString());
      out.println(Json.write(n));
    } else {
      out.println(d);
    }
    return OK;
  }

  private List<Path> files(Options o, String command) throws Options.UsageException, IOException {
    if (o.operands.isEmpty()) {
      throw new Options.UsageException(command + " takes at least one file or directory");
    }
    List<Path> files = new ArrayList<>();
    for (String p : o.operands) {
      Path path = Path.of(p);
      if (!Files.exists(path)) {
        throw new Options.UsageException("no such file or directory: " + p);
      }
      files.addAll(PinFiles.find(path));
    }
    return files;
  }

  private Pinner pinner(Options o) {
    Pinner.Builder b =
        Pinner.builder(resolver(o)).form(o.form).update(o.update).bareTagless(o.bareTagless);
    if (o.platform != null) {
      b.platform(o.platform);
    }
    o.buildArgs.forEach(b::buildArg);
    if (System.console() != null) {
      // Progress only for a person watching a terminal; CI logs stay clean.
      java.util.concurrent.atomic.AtomicInteger done =
          new java.util.concurrent.atomic.AtomicInteger();
      // Only worth a progress line when there are many references to wait for.
      b.progress(
          line -> {
            int n = done.incrementAndGet();
            if (n >= PROGRESS_AFTER) {
              err.print("\rresolved " + n + ": " + line + "\u001b[K");
            }
          });
    }
    return b.build();
  }

  private int pin(Options o) throws Options.UsageException, IOException {
    List<Path> files = files(o, "pin");
    PinPlan plan = pinner(o).plan(files);
    if (System.console() != null) {
      err.print("\r\u001b[K");
    }
    if (!o.dryRun) {
      plan.apply();
    }
    if (o.json) {
      out.println(Json.write(Json.plan(plan, !o.dryRun)));
    } else {
      if (o.dryRun) {
        out.print(plan.diff());
      } else {
        plan.changes().forEach(c -> out.println(c));
      }
      plan.notes().stream().filter(n -> !n.isRoutine()).forEach(n -> err.println("note: " + n));
      plan.failures().forEach(f -> err.println("ocipin: " + f));
      // After a dry run's diff the summary goes to stderr, so the diff stays a clean patch.
      (o.dryRun ? err : out)
          .println(
              plan.summary() + " in " + files.size() + " file" + (files.size() == 1 ? "" : "s"));
    }
    if (plan.failures().isEmpty()) {
      // Done only when nothing a person would pin was left: a reference built from variables
      // is a "no" with its note, not a silent success.
      return plan.notes().stream().anyMatch(PinNote::leavesUnpinned) ? NO : OK;
    }
    boolean onlyNotFound =
        plan.failures().stream().allMatch(f -> f.kind() == PinNote.Kind.NOT_FOUND);
    return onlyNotFound ? NO : ERROR;
  }

  private int check(Options o) throws Options.UsageException, IOException {
    List<Path> files = files(o, "check");
    CheckReport report = pinner(o).check(files);
    if (System.console() != null) {
      err.print("\r\u001b[K");
    }
    if (o.json) {
      ObjectNode n = Json.MAPPER.createObjectNode();
      ArrayNode entries = n.putArray("entries");
      for (CheckEntry e : report.entries()) {
        ObjectNode j = entries.addObject();
        j.put("file", e.file().toString());
        j.put("line", e.line());
        j.put("reference", e.reference());
        j.put("status", e.status().label());
        e.pinned().ifPresent(d -> j.put("pinned", d.toString()));
        e.current().ifPresent(d -> j.put("current", d.toString()));
        j.put("detail", e.detail());
      }
      ArrayNode notes = n.putArray("notes");
      report.notes().forEach(x -> notes.add(x.toString()));
      n.put("allCurrent", report.allCurrent());
      out.println(Json.write(n));
    } else {
      report.entries().forEach(e -> out.println(e));
      report.notes().stream().filter(x -> !x.isRoutine()).forEach(x -> err.println("note: " + x));
      out.println(report.summary());
    }
    boolean errors = report.entries().stream().anyMatch(e -> e.status() == CheckEntry.Status.ERROR);
    if (errors) {
      return ERROR;
    }
    return report.allCurrent() ? OK : NO;
  }
}
