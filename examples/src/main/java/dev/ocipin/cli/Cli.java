package dev.ocipin.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
import dev.ocipin.pin.PinPlan;
import dev.ocipin.pin.Pinner;
import dev.ocipin.pin.ReferenceForm;
import dev.ocipin.registry.ManifestNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Parses arguments, runs one command, and maps failures to exit codes. */
final class Cli {
  static final int OK = 0;
  static final int NOT_FOUND = 1;
  static final int NOT_CURRENT = 1;
  static final int ERROR = 2;
  private static final int PROGRESS_AFTER = 10;

  private static final String USAGE =
      String.join(
          "\n",
          "usage: ocipin <command> [options]",
          "",
          "commands:",
          "  inspect REF                 show what REF points to: index, platforms, attestations,",
          "                              and the FROM line that pins it",
          "  digest REF [--platform P]   print the digest REF names (HEAD only), or one platform's",
          "  pin FILE|DIR...             pin every image in Dockerfiles, compose and Kubernetes files",
          "                              --dry-run (print a diff), --update (re-pin moved tags),",
          "                              --form familiar|canonical, --build-arg NAME=VALUE",
          "  check FILE|DIR...           report pinned-current, drifted, unpinned, not-found, error",
          "                              (exit 0 all current, 1 drifted or unpinned, 2 error)",
          "",
          "options:",
          "  --json                      machine-readable output",
          "  --platform OS/ARCH[/VAR]    one platform's manifest instead of the index (digest, pin)",
          "  --insecure-registry HOST    reach HOST over plain HTTP (repeatable)",
          "",
          "exit codes: 0 ok, 1 not found, 2 usage or other error");

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

  /** Options common to the commands. */
  static final class Options {
    boolean json;
    boolean dryRun;
    boolean update;
    ReferenceForm form = ReferenceForm.KEEP;
    final Map<String, String> buildArgs = new LinkedHashMap<>();
    Platform platform;
    final List<String> insecure = new ArrayList<>();
    final List<String> positional = new ArrayList<>();
  }

  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  int run(String[] args) {
    if (args.length == 0
        || args[0].equals("-h")
        || args[0].equals("--help")
        || args[0].equals("help")) {
      (args.length == 0 ? err : out).println(USAGE);
      return args.length == 0 ? ERROR : OK;
    }
    String command = args[0];
    try {
      Options o = parse(args);
      switch (command) {
        case "inspect":
          return inspect(o);
        case "digest":
          return digest(o);
        case "pin":
          return pin(o);
        case "check":
          return check(o);
        default:
          throw new UsageException("unknown command " + command + "; try `ocipin --help`");
      }
    } catch (UsageException e) {
      err.println("ocipin: " + e.getMessage());
      return ERROR;
    } catch (InvalidReferenceException e) {
      err.println("ocipin: " + e.getMessage());
      return ERROR;
    } catch (ManifestNotFoundException e) {
      err.println("ocipin: " + e.getMessage());
      return NOT_FOUND;
    } catch (NoMatchingPlatformException e) {
      err.println("ocipin: " + e.getMessage());
      return NOT_FOUND;
    } catch (IOException | RuntimeException e) {
      err.println("ocipin: " + oneLine(e));
      return ERROR;
    }
  }

  private static String oneLine(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.replace('\n', ' ');
  }

  static Options parse(String[] args) throws UsageException {
    Options o = new Options();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--json":
          o.json = true;
          break;
        case "--dry-run":
          o.dryRun = true;
          break;
        case "--update":
          o.update = true;
          break;
        case "--form":
          o.form = form(value(args, ++i, a));
          break;
        case "--build-arg":
          buildArg(o, value(args, ++i, a));
          break;
        case "--platform":
          o.platform = Platform.parse(value(args, ++i, a));
          break;
        case "--insecure-registry":
          o.insecure.add(value(args, ++i, a));
          break;
        default:
          if (a.startsWith("--form=")) {
            o.form = form(a.substring("--form=".length()));
          } else if (a.startsWith("--build-arg=")) {
            buildArg(o, a.substring("--build-arg=".length()));
          } else if (a.startsWith("--platform=")) {
            o.platform = Platform.parse(a.substring("--platform=".length()));
          } else if (a.startsWith("--insecure-registry=")) {
            o.insecure.add(a.substring("--insecure-registry=".length()));
          } else if (a.startsWith("-")) {
            throw new UsageException("unknown option " + a + "; try `ocipin --help`");
          } else {
            o.positional.add(a);
          }
      }
    }
    return o;
  }

  private static ReferenceForm form(String v) throws UsageException {
    switch (v) {
      case "familiar":
        return ReferenceForm.FAMILIAR;
      case "canonical":
        return ReferenceForm.CANONICAL;
      case "keep":
        return ReferenceForm.KEEP;
      default:
        throw new UsageException("--form takes familiar, canonical or keep, not " + v);
    }
  }

  private static void buildArg(Options o, String kv) throws UsageException {
    int eq = kv.indexOf('=');
    if (eq <= 0) {
      throw new UsageException("--build-arg takes NAME=VALUE, not " + kv);
    }
    o.buildArgs.put(kv.substring(0, eq), kv.substring(eq + 1));
  }

  private static String value(String[] args, int i, String option) throws UsageException {
    if (i >= args.length) {
      throw new UsageException(option + " needs a value");
    }
    return args[i];
  }

  private DigestResolver resolver(Options o) {
    DigestResolver.Builder b = DigestResolver.builder().credentials(credentials);
    o.insecure.forEach(b::insecureRegistry);
    return b.build();
  }

  private static String onlyReference(Options o, String command) throws UsageException {
    if (o.positional.size() != 1) {
      throw new UsageException(
          command + " takes exactly one image reference, got " + o.positional.size());
    }
    return o.positional.get(0);
  }

  private int inspect(Options o) throws UsageException, IOException {
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
    out.println("FROM " + idx.pinned());
    return OK;
  }

  private int digest(Options o) throws UsageException, IOException {
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

  private List<Path> files(Options o, String command) throws UsageException, IOException {
    if (o.positional.isEmpty()) {
      throw new UsageException(command + " takes at least one file or directory");
    }
    List<Path> files = new ArrayList<>();
    for (String p : o.positional) {
      Path path = Path.of(p);
      if (!Files.exists(path)) {
        throw new UsageException("no such file or directory: " + p);
      }
      files.addAll(PinFiles.find(path));
    }
    return files;
  }

  private Pinner pinner(Options o) {
    Pinner.Builder b = Pinner.builder(resolver(o)).form(o.form).update(o.update);
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

  private int pin(Options o) throws UsageException, IOException {
    List<Path> files = files(o, "pin");
    PinPlan plan = pinner(o).plan(files);
    if (System.console() != null) {
      err.print("\r\u001b[K");
    }
    if (o.dryRun) {
      out.print(plan.diff());
    } else {
      plan.apply();
      plan.changes().forEach(c -> out.println(c));
    }
    plan.notes().stream().filter(n -> !n.isRoutine()).forEach(n -> err.println("note: " + n));
    plan.failures().forEach(f -> err.println("ocipin: " + f));
    if (!o.dryRun) {
      out.println(
          plan.changes().size()
              + " reference"
              + (plan.changes().size() == 1 ? "" : "s")
              + " pinned in "
              + plan.files().size()
              + " file"
              + (plan.files().size() == 1 ? "" : "s")
              + (plan.failures().isEmpty()
                  ? ""
                  : "; " + plan.failures().size() + " file problem(s), left untouched"));
    }
    return plan.failures().isEmpty() ? OK : ERROR;
  }

  /** Build stages and scratch are not images: true, but not news. */
  private int check(Options o) throws UsageException, IOException {
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
      long current =
          report.entries().stream()
              .filter(e -> e.status() == CheckEntry.Status.PINNED_CURRENT)
              .count();
      out.println(current + " of " + report.entries().size() + " references pinned and current");
    }
    if (report.hasErrors()) {
      return ERROR;
    }
    return report.allCurrent() ? OK : NOT_CURRENT;
  }

  /** JSON output. */
  static final class Json {
    static final ObjectMapper MAPPER =
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    static String write(ObjectNode n) throws IOException {
      return MAPPER.writeValueAsString(n);
    }

    static ObjectNode index(ResolvedIndex idx) {
      ObjectNode n = MAPPER.createObjectNode();
      n.put("reference", idx.reference().toString());
      n.put("mediaType", idx.mediaType().toString());
      n.put("digest", idx.digest().toString());
      n.put("size", idx.size());
      n.put("isIndex", idx.isIndex());
      n.put("images", idx.images().size());
      n.put("attestations", idx.attestations().size());
      n.put("pinned", idx.pinned().toString());
      ArrayNode manifests = n.putArray("manifests");
      for (Descriptor d : idx.manifests()) {
        ObjectNode m = manifests.addObject();
        m.put("mediaType", d.mediaType().toString());
        m.put("digest", d.digest().toString());
        m.put("size", d.size());
        d.platform().ifPresent(p -> m.put("platform", p.toString()));
        m.put("attestation", d.isAttestation());
        d.attestedDigest().ifPresent(a -> m.put("attests", a.toString()));
      }
      return n;
    }
  }
}
