package dev.ocipin.cli;

import dev.ocipin.ImageReference;
import dev.ocipin.Platform;
import dev.ocipin.pin.ReferenceForm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The command line's arguments: the command, wherever it stands (options may come before it, as
 * with docker), its options, and its operands. An option the command does not use is an error that
 * names it, rather than silently ignored.
 */
final class Options {
  /** The options of every command: where images come from and how registries are reached. */
  private static final List<String> SOURCE_OPTIONS =
      List.of(
          "--insecure-registry",
          "--registry-mirror",
          "--ca-cert",
          "--source",
          "--fallback-to-registry");

  /** The commands, and the options each one uses. */
  static final Map<String, Set<String>> COMMANDS =
      Map.of(
          "inspect", with("--json"),
          "digest", with("--json", "--platform"),
          "pin",
              with(
                  "--json",
                  "--dry-run",
                  "--update",
                  "--bare-tagless",
                  "--form",
                  "--build-arg",
                  "--platform"),
          "check", with("--json", "--build-arg", "--platform"));

  private static Set<String> with(String... own) {
    Set<String> all = new java.util.HashSet<>(SOURCE_OPTIONS);
    all.addAll(List.of(own));
    return Set.copyOf(all);
  }

  private static final Set<String> TAKES_VALUE =
      Set.of(
          "--form",
          "--build-arg",
          "--platform",
          "--insecure-registry",
          "--registry-mirror",
          "--ca-cert",
          "--source");

  /** Options that are flags: they take no value. */
  private static final Set<String> FLAGS =
      Set.of("--json", "--dry-run", "--update", "--bare-tagless", "--fallback-to-registry");

  /** Thrown for arguments that do not make a command. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  String command = "";
  boolean json;
  boolean dryRun;
  boolean update;
  boolean bareTagless;
  ReferenceForm form = ReferenceForm.KEEP;
  final Map<String, String> buildArgs = new LinkedHashMap<>();
  @Nullable Platform platform;
  final List<String> insecure = new ArrayList<>();
  final List<java.nio.file.Path> caCerts = new ArrayList<>();
  @Nullable String source;
  boolean fallBack;

  /** Registry to mirror host, in the order given. */
  final List<Map.Entry<String, String>> mirrors = new ArrayList<>();

  final List<String> operands = new ArrayList<>();

  /** Parses {@code args}: a command, then its options and operands in any order. */
  static Options parse(String[] args) throws UsageException {
    Options o = new Options();
    List<String> given = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("-") || a.equals("-")) {
        if (o.command.isEmpty()) {
          if (!COMMANDS.containsKey(a)) {
            throw new UsageException("unknown command " + a + "; try `ocipin --help`");
          }
          o.command = a;
        } else {
          o.operands.add(a);
        }
        continue;
      }
      int eq = a.indexOf('=');
      String name = eq > 0 ? a.substring(0, eq) : a;
      String value = null;
      if (TAKES_VALUE.contains(name)) {
        if (eq > 0) {
          value = a.substring(eq + 1);
        } else if (i + 1 < args.length) {
          value = args[++i];
        } else {
          throw new UsageException(name + " needs a value");
        }
      } else if (eq > 0 || !FLAGS.contains(name)) {
        throw new UsageException("unknown option " + a + "; try `ocipin --help`");
      }
      given.add(name);
      o.set(name, value);
    }
    if (o.command.isEmpty()) {
      throw new UsageException("no command given; try `ocipin --help`");
    }
    for (String name : given) {
      if (!COMMANDS.get(o.command).contains(name)) {
        throw new UsageException(o.command + " does not take " + name + "; try `ocipin --help`");
      }
    }
    return o;
  }

  private void set(String name, @Nullable String value) throws UsageException {
    switch (name) {
      case "--json":
        json = true;
        break;
      case "--dry-run":
        dryRun = true;
        break;
      case "--update":
        update = true;
        break;
      case "--bare-tagless":
        bareTagless = true;
        break;
      case "--fallback-to-registry":
        fallBack = true;
        break;
      case "--form":
        form = form(value);
        break;
      case "--build-arg":
        buildArg(value);
        break;
      case "--platform":
        platform = Platform.parse(value);
        break;
      case "--insecure-registry":
        insecure.add(value);
        break;
      case "--ca-cert":
        caCerts.add(java.nio.file.Path.of(value));
        break;
      case "--source":
        if (!value.startsWith(ImageReference.LAYOUT_SCHEME)) {
          throw new UsageException("--source takes an OCI layout, oci-layout://DIR, not " + value);
        }
        source = value;
        break;
      default: // --registry-mirror
        mirror(value);
        break;
    }
  }

  private static ReferenceForm form(String v) throws UsageException {
    try {
      return ReferenceForm.parse(v);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--form takes familiar, canonical or keep, not " + v);
    }
  }

  private void buildArg(String kv) throws UsageException {
    int eq = kv.indexOf('=');
    if (eq <= 0) {
      throw new UsageException("--build-arg takes NAME=VALUE, not " + kv);
    }
    buildArgs.put(kv.substring(0, eq), kv.substring(eq + 1));
  }

  private void mirror(String kv) throws UsageException {
    int eq = kv.indexOf('=');
    if (eq <= 0 || eq == kv.length() - 1) {
      throw new UsageException(
          "--registry-mirror takes REGISTRY=HOST, such as docker.io=mirror.example:5000, not "
              + kv);
    }
    mirrors.add(Map.entry(kv.substring(0, eq), kv.substring(eq + 1)));
  }
}
