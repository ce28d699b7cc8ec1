package dev.ocipin;

import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An image platform: operating system, architecture and optional variant, OS version and OS
 * features, as in the OCI image index.
 *
 * <p>{@link #parse(String)} and {@link #normalize()} follow containerd's <a
 * href="https://github.com/containerd/platforms">platforms</a> package: {@code x86_64} and {@code
 * x86-64} become {@code amd64}, {@code aarch64} becomes {@code arm64}, {@code armhf} becomes {@code
 * arm/v7}, {@code armel} becomes {@code arm/v6}, bare {@code arm} means v7, {@code i386} becomes
 * {@code 386}, and {@code macos} becomes {@code darwin}.
 *
 * <p>Matching follows containerd's {@code platforms.Only}: {@link #rank(Platform)} prefers an exact
 * match, then the compatible fallbacks in order (arm/v7 runs v6 and v5; arm64 runs arm/v8 down to
 * v5; amd64/v3 runs v2, v1 and 386). {@link #matchesExactly(Platform)} is the strict form. For
 * Windows, a platform with an {@code os.version} matches images whose build the host can run, by
 * containerd's compatibility rules.
 *
 * <p>Platforms are immutable values, safe to share between threads. {@code equals} compares the
 * fields as stored, without normalising; platforms from {@link #parse(String)} are normalised.
 */
public final class Platform {
  // containerd platforms.go: specifierRe and osRe.
  private static final Pattern SPECIFIER = Pattern.compile("^[A-Za-z0-9_.-]+$");
  private static final Pattern OS_OPTIONS =
      Pattern.compile("^([A-Za-z0-9_-]+)(?:\\(([A-Za-z0-9_.%-]*)((?:\\+[A-Za-z0-9_.%-]+)*)\\))?$");

  // Go's syslist, as containerd's database.go lists it.
  private static final Set<String> KNOWN_OS =
      Set.of(
          "aix",
          "android",
          "darwin",
          "dragonfly",
          "freebsd",
          "hurd",
          "illumos",
          "ios",
          "js",
          "linux",
          "nacl",
          "netbsd",
          "openbsd",
          "plan9",
          "solaris",
          "windows",
          "zos");
  private static final Set<String> KNOWN_ARCH =
      Set.of(
          "386",
          "amd64",
          "amd64p32",
          "arm",
          "armbe",
          "arm64",
          "arm64be",
          "ppc64",
          "ppc64le",
          "loong64",
          "mips",
          "mipsle",
          "mips64",
          "mips64le",
          "mips64p32",
          "mips64p32le",
          "ppc",
          "riscv",
          "riscv64",
          "s390",
          "s390x",
          "sparc",
          "sparc64",
          "wasm");

  private final String os;
  private final String architecture;
  private final @Nullable String variant;
  private final @Nullable String osVersion;
  private final List<String> osFeatures;

  private Platform(
      String os,
      String architecture,
      @Nullable String variant,
      @Nullable String osVersion,
      List<String> osFeatures) {
    this.os = os;
    this.architecture = architecture;
    this.variant = emptyToNull(variant);
    this.osVersion = emptyToNull(osVersion);
    this.osFeatures = List.copyOf(osFeatures);
  }

  private static @Nullable String emptyToNull(@Nullable String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** Returns the platform {@code os/architecture}, stored as given, without normalising. */
  public static Platform of(String os, String architecture) {
    return new Platform(
        Objects.requireNonNull(os, "os"),
        Objects.requireNonNull(architecture, "architecture"),
        null,
        null,
        List.of());
  }

  /**
   * Returns the platform {@code os/architecture/variant}, stored as given, without normalising. An
   * empty variant means none.
   */
  public static Platform of(String os, String architecture, String variant) {
    return new Platform(
        Objects.requireNonNull(os, "os"),
        Objects.requireNonNull(architecture, "architecture"),
        Objects.requireNonNull(variant, "variant"),
        null,
        List.of());
  }

  /** Returns a copy with {@code osVersion} (such as {@code 10.0.17763.5830}); empty means none. */
  public Platform withOsVersion(String osVersion) {
    return new Platform(os, architecture, variant, osVersion, osFeatures);
  }

  /** Returns a copy with {@code osFeatures} (such as {@code win32k}). */
  public Platform withOsFeatures(List<String> osFeatures) {
    return new Platform(os, architecture, variant, osVersion, osFeatures);
  }

  /**
   * Parses {@code os[(osversion[+feature...])]/arch[/variant]}, a lone OS, or a lone architecture,
   * and normalises the result as containerd does.
   *
   * <p>A lone OS takes the architecture of this machine; a lone architecture takes this machine's
   * OS. {@code linux/arm64/v8} keeps its variant, as in containerd.
   *
   * @throws InvalidReferenceException when the text is not a platform specifier
   */
  public static Platform parse(String specifier) {
    Objects.requireNonNull(specifier, "specifier");
    if (specifier.contains("*")) {
      throw new InvalidReferenceException(
          specifier, "invalid platform: wildcards are not supported");
    }
    String[] parts = specifier.split("/", 4);
    if (parts.length > 3) {
      throw new InvalidReferenceException(
          specifier, "invalid platform: expected os[/arch[/variant]], got more than 3 components");
    }
    Matcher osOptions = OS_OPTIONS.matcher(parts[0]);
    if (!osOptions.matches()) {
      throw new InvalidReferenceException(
          specifier,
          "invalid platform: the OS must be letters, digits, '_' or '-', optionally followed by"
              + " (osversion+feature...)",
          parts[0]);
    }
    for (int i = 1; i < parts.length; i++) {
      if (!SPECIFIER.matcher(parts[i]).matches()) {
        throw new InvalidReferenceException(
            specifier,
            "invalid platform: a component must be letters, digits, '_', '.' or '-'",
            parts[i]);
      }
    }
    String os = normalizeOs(osOptions.group(1));
    String osVersion = decodeOption(specifier, osOptions.group(2));
    List<String> features = new ArrayList<>();
    String rawFeatures = osOptions.group(3);
    if (rawFeatures != null && !rawFeatures.isEmpty()) {
      for (String f : rawFeatures.substring(1).split("\\+", -1)) {
        features.add(decodeOption(specifier, f));
      }
    }
    ArchVariant av;
    switch (parts.length) {
      case 1:
        if (KNOWN_OS.contains(os)) {
          return new Platform(os, hostArchitecture(), null, osVersion, features);
        }
        // containerd's Parse keeps a bare "arm" without its default v7 variant.
        av = normalizeArch(parts[0], "").withoutDefaultArmVariant();
        if (KNOWN_ARCH.contains(av.arch())) {
          return new Platform(hostOs(), av.arch(), av.variant(), null, List.of());
        }
        throw new InvalidReferenceException(
            specifier, "invalid platform: unknown operating system or architecture");
      case 2:
        av = normalizeArch(parts[1], "").withoutDefaultArmVariant();
        return new Platform(os, av.arch(), av.variant(), osVersion, features);
      default:
        av = normalizeArch(parts[1], parts[2]);
        // containerd's Parse spells arm64's default variant out when a variant was given.
        String variant = av.arch().equals("arm64") && av.variant().isEmpty() ? "v8" : av.variant();
        return new Platform(os, av.arch(), variant, osVersion, features);
    }
  }

  private static @Nullable String decodeOption(String specifier, @Nullable String v) {
    if (v == null || v.indexOf('%') < 0) {
      return v;
    }
    try {
      // Path unescaping: '+' stays '+', as in Go's url.PathUnescape.
      return URLDecoder.decode(v.replace("+", "%2B"), StandardCharsets.UTF_8.name());
    } catch (IllegalArgumentException | UnsupportedEncodingException e) {
      throw new InvalidReferenceException(
          specifier, "invalid platform: bad percent-encoding in an OS option", v);
    }
  }

  private static String normalizeOs(String os) {
    String lower = os.toLowerCase(Locale.ROOT);
    return lower.equals("macos") ? "darwin" : lower;
  }

  /** An architecture and its variant, {@code ""} when it has none. */
  private record ArchVariant(String arch, String variant) {
    ArchVariant withoutDefaultArmVariant() {
      return arch.equals("arm") && variant.equals("v7") ? new ArchVariant(arch, "") : this;
    }
  }

  /** containerd database.go normalizeArch. */
  private static ArchVariant normalizeArch(String arch, @Nullable String variant) {
    String a = arch.toLowerCase(Locale.ROOT);
    String v = variant == null ? "" : variant.toLowerCase(Locale.ROOT);
    switch (a) {
      case "i386":
        a = "386";
        v = "";
        break;
      case "x86_64":
      case "x86-64":
      case "amd64":
        a = "amd64";
        if (v.equals("v1")) {
          v = "";
        }
        break;
      case "aarch64":
      case "arm64":
        a = "arm64";
        if (v.equals("8") || v.equals("v8")) {
          v = "";
        }
        break;
      case "armhf":
        a = "arm";
        v = "v7";
        break;
      case "armel":
        a = "arm";
        v = "v6";
        break;
      case "arm":
        if (v.isEmpty() || v.equals("7")) {
          v = "v7";
        } else if (v.equals("5") || v.equals("6") || v.equals("8")) {
          v = "v" + v;
        }
        break;
      default:
        break;
    }
    return new ArchVariant(a, v);
  }

  private static String hostOs() {
    String name = System.getProperty("os.name", "linux").toLowerCase(Locale.ROOT);
    if (name.startsWith("mac") || name.startsWith("darwin")) {
      return "darwin";
    }
    if (name.startsWith("windows")) {
      return "windows";
    }
    return name.replace(" ", "");
  }

  private static String hostArchitecture() {
    return normalizeArch(System.getProperty("os.arch", "amd64"), "").arch();
  }

  /** Returns the operating system, such as {@code linux} or {@code windows}. */
  public String os() {
    return os;
  }

  /** Returns the CPU architecture, such as {@code amd64} or {@code arm64}. */
  public String architecture() {
    return architecture;
  }

  /** Returns the CPU variant, such as {@code v7} for 32-bit ARM, or empty when none. */
  public Optional<String> variant() {
    return Optional.ofNullable(variant);
  }

  /** Returns the OS version (Windows images carry one, such as {@code 10.0.20348.2227}). */
  public Optional<String> osVersion() {
    return Optional.ofNullable(osVersion);
  }

  /** Returns the required OS features, such as {@code win32k}; empty when none. */
  public List<String> osFeatures() {
    return osFeatures;
  }

  /**
   * Returns whether this is BuildKit's {@code unknown/unknown}, the platform of attestation
   * manifests.
   */
  public boolean isUnknown() {
    return os.equals("unknown") && architecture.equals("unknown");
  }

  /**
   * Returns the canonical form, as containerd's normalisation gives it: {@code arm64/v8} becomes
   * {@code arm64}, {@code arm} becomes {@code arm/v7}, and OS features are sorted and distinct.
   */
  public Platform normalize() {
    ArchVariant av = normalizeArch(architecture, variant);
    List<String> features = new ArrayList<>(new TreeSet<>(osFeatures));
    return new Platform(normalizeOs(os), av.arch(), av.variant(), osVersion, features);
  }

  /**
   * Returns whether an image for {@code candidate} runs on this platform, allowing the compatible
   * fallbacks of containerd's {@code platforms.Only}.
   */
  public boolean matches(Platform candidate) {
    return rank(candidate).isPresent();
  }

  /**
   * Returns whether {@code candidate} is this platform after normalisation, with no fallback:
   * containerd's {@code platforms.OnlyStrict}.
   */
  public boolean matchesExactly(Platform candidate) {
    return PlatformMatcher.matches(normalize(), candidate);
  }

  /**
   * Ranks {@code candidate} as a choice for this platform: 0 is an exact match, higher numbers are
   * less preferred fallbacks, and empty means the image cannot run here. The best entry of an index
   * is the one with the lowest rank.
   */
  public OptionalInt rank(Platform candidate) {
    List<Platform> vector = PlatformMatcher.compatibilityVector(normalize());
    for (int i = 0; i < vector.size(); i++) {
      if (PlatformMatcher.matches(vector.get(i), candidate)) {
        return OptionalInt.of(i);
      }
    }
    return OptionalInt.empty();
  }

  /** Returns a copy with another architecture and variant, for the compatibility vector. */
  Platform withArch(String arch, String variant) {
    return new Platform(os, arch, variant, osVersion, osFeatures);
  }

  /**
   * Returns the platform as containerd's {@code FormatAll} writes it: {@code linux/arm/v7}, or
   * {@code windows(10.0.17763+win32k)/amd64} with an OS version or features.
   */
  @Override
  public String toString() {
    StringBuilder options = new StringBuilder();
    if (osVersion != null) {
      options.append(encodeOption(osVersion));
    }
    for (String f : new TreeSet<>(osFeatures)) {
      if (f.isEmpty()) {
        continue;
      }
      options.append('+').append(encodeOption(f));
    }
    StringBuilder sb = new StringBuilder(os);
    if (options.length() > 0) {
      sb.append('(').append(options).append(')');
    }
    if (!architecture.isEmpty()) {
      sb.append('/').append(architecture);
    }
    if (variant != null) {
      sb.append('/').append(variant);
    }
    return sb.toString();
  }

  private static String encodeOption(String v) {
    return v.replace("%", "%25")
        .replace("+", "%2B")
        .replace("(", "%28")
        .replace(")", "%29")
        .replace("/", "%2F");
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Platform)) {
      return false;
    }
    Platform that = (Platform) o;
    return os.equals(that.os)
        && architecture.equals(that.architecture)
        && Objects.equals(variant, that.variant)
        && Objects.equals(osVersion, that.osVersion)
        && osFeatures.equals(that.osFeatures);
  }

  @Override
  public int hashCode() {
    return Objects.hash(os, architecture, variant, osVersion, osFeatures);
  }
}
