package dev.ocipin;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which images a platform can run, as containerd decides it: the compatibility vector (amd64 v3
 * runs v2, v1 and 386; arm64 runs arm/v8 down to v5; arm/v7 runs v6 and v5), the matcher that
 * compares normalised platforms and OS features, and Windows' OS version rules.
 */
final class PlatformMatcher {
  private PlatformMatcher() {}

  /** containerd compare.go platformVector: this platform, then what it can also run, in order. */
  static List<Platform> compatibilityVector(Platform p) {
    List<Platform> vector = new ArrayList<>();
    vector.add(p);
    String v = p.variant().orElse("");
    switch (p.architecture()) {
      case "amd64":
        {
          int level = parseLevel(v);
          if (level > 1) {
            for (level--; level >= 1; level--) {
              vector.add(p.withArch("amd64", "v" + level));
            }
          }
          vector.add(p.withArch("386", ""));
          break;
        }
      case "arm":
        {
          int level = parseLevel(v);
          if (level > 5) {
            for (level--; level >= 5; level--) {
              vector.add(p.withArch("arm", "v" + level));
            }
          }
          break;
        }
      case "arm64":
        {
          String variant = v.isEmpty() ? "v8" : v;
          int dot = variant.indexOf('.');
          String majorPart = dot < 0 ? variant : variant.substring(0, dot);
          int major = parseLevel(majorPart);
          if (major >= 8) {
            int minor = 0;
            if (variant.length() == 4 && dot >= 0) {
              minor = Math.max(0, parseLevel("v" + variant.substring(dot + 1)));
            }
            if (major == 9) {
              for (int m = minor - 1; m >= 0; m--) {
                vector.add(p.withArch("arm64", m == 0 ? "v9" : "v9." + m));
              }
              // v9.0 diverged from v8.5: v9.x runs v8.(x+5) and below.
              minor = minor + 5;
              major = 8;
              vector.add(p.withArch("arm64", "v8." + minor));
            }
            for (int m = minor - 1; m >= 0; m--) {
              vector.add(p.withArch("arm64", m == 0 ? "" : "v" + major + "." + m));
            }
          }
          if (variant.startsWith("v8.") || variant.startsWith("v9.")) {
            variant = "v8";
          }
          vector.addAll(compatibilityVector(p.withArch("arm", variant)));
          break;
        }
      default:
        break;
    }
    return vector;
  }

  private static int parseLevel(String variant) {
    String digits = variant.startsWith("v") ? variant.substring(1) : variant;
    if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    return Integer.parseInt(digits);
  }

  /** containerd platforms.go matcher.Match, with the Windows OS version matcher. */
  static boolean matches(Platform want, Platform candidate) {
    Platform m = want.normalize();
    Platform c = candidate.normalize();
    if (!m.os().equals(c.os())
        || !m.architecture().equals(c.architecture())
        || !m.variant().equals(c.variant())) {
      return false;
    }
    if (want.os().equals("windows")
        && !windowsVersionMatches(
            want.osVersion().orElse(null), candidate.osVersion().orElse(null))) {
      return false;
    }
    // The candidate's OS features must be a subset of what this platform offers.
    return m.osFeatures().containsAll(c.osFeatures());
  }

  // containerd platform_windows_compat.go: Windows Server 2022 (build 20348) is the first release
  // with a stable ABI; later hosts run containers from 20348 up to their own build.
  private static final int WS2022_BUILD = 20348;

  private static boolean windowsVersionMatches(
      @Nullable String hostVersion, @Nullable String imageVersion) {
    Optional<WindowsVersion> host = windowsVersion(hostVersion);
    if (host.isEmpty() || imageVersion == null || imageVersion.isEmpty()) {
      return true;
    }
    WindowsVersion h = host.get();
    WindowsVersion ctr = windowsVersion(imageVersion).orElse(new WindowsVersion(0, 0, 0));
    if (h.major() != ctr.major() || h.minor() != ctr.minor()) {
      return false;
    }
    if (h.build() < WS2022_BUILD) {
      return h.build() == ctr.build();
    }
    return ctr.build() >= WS2022_BUILD && ctr.build() <= h.build();
  }

  /** A Windows version: major, minor and build. */
  private record WindowsVersion(int major, int minor, int build) {}

  /** Returns the version, or empty when it is absent, empty or malformed. */
  private static Optional<WindowsVersion> windowsVersion(@Nullable String version) {
    if (version == null) {
      return Optional.empty();
    }
    String[] parts = version.split("\\.", -1);
    if (parts.length < 3) {
      return Optional.empty();
    }
    try {
      int major = Integer.parseInt(parts[0]);
      int minor = Integer.parseInt(parts[1]);
      int build = Integer.parseInt(parts[2]);
      if (major < 0 || major > 255 || minor < 0 || minor > 255 || build < 0 || build > 65535) {
        return Optional.empty();
      }
      if (major == 0 && minor == 0 && build == 0) {
        return Optional.empty();
      }
      return Optional.of(new WindowsVersion(major, minor, build));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
