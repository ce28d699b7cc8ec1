package dev.ocipin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Platform parsing, formatting and matching, with vectors from containerd/platforms' tests. */
class PlatformTest {
  private static final String HOST_ARCH = Platform.parse("linux").architecture();

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        // input                | os      | arch   | variant | formatted
        "linux/arm64             | linux   | arm64  | -       | linux/arm64",
        "linux/arm64/v8          | linux   | arm64  | v8      | linux/arm64/v8",
        "linux/aarch64           | linux   | arm64  | -       | linux/arm64",
        "linux/arm               | linux   | arm    | -       | linux/arm",
        "linux/arm/v6            | linux   | arm    | v6      | linux/arm/v6",
        "linux/arm/v7            | linux   | arm    | v7      | linux/arm/v7",
        "linux/arm/7             | linux   | arm    | v7      | linux/arm/v7",
        "linux/armhf             | linux   | arm    | -       | linux/arm",
        "linux/armel             | linux   | arm    | v6      | linux/arm/v6",
        "Linux/x86_64            | linux   | amd64  | -       | linux/amd64",
        "linux/x86-64            | linux   | amd64  | -       | linux/amd64",
        "linux/amd64/v1          | linux   | amd64  | -       | linux/amd64",
        "linux/amd64/v3          | linux   | amd64  | v3      | linux/amd64/v3",
        "linux/i386              | linux   | 386    | -       | linux/386",
        "linux/s390x             | linux   | s390x  | -       | linux/s390x",
        "linux/ppc64le           | linux   | ppc64le| -       | linux/ppc64le",
        "linux/riscv64           | linux   | riscv64| -       | linux/riscv64",
        "macOS/arm64             | darwin  | arm64  | -       | darwin/arm64",
        "windows/amd64           | windows | amd64  | -       | windows/amd64",
        "arm                     | linux   | arm    | -       | linux/arm",
        "armel                   | linux   | arm    | v6      | linux/arm/v6",
        "armhf                   | linux   | arm    | -       | linux/arm",
        "Aarch64                 | linux   | arm64  | -       | linux/arm64",
        "x86_64                  | linux   | amd64  | -       | linux/amd64",
        "i386                    | linux   | 386    | -       | linux/386",
        "s390x                   | linux   | s390x  | -       | linux/s390x",
      })
  void parse_specifier_normalisesAsContainerd(
      String input, String os, String arch, String variant, String formatted) {
    Platform p = Platform.parse(input);
    assertEquals(os, p.os());
    assertEquals(arch, p.architecture());
    assertEquals(Optional.ofNullable(variant), p.variant());
    assertEquals(formatted, p.toString());
    assertEquals(p, Platform.parse(p.toString()), "formatting is stable");
  }

  @Test
  void parse_loneOs_takesTheHostArchitecture() {
    Platform p = Platform.parse("linux");
    assertEquals("linux", p.os());
    assertEquals(HOST_ARCH, p.architecture());
    assertEquals("darwin", Platform.parse("macOS").os());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "windows(10.0.17763)                   | 10.0.17763          | ''           | windows(10.0.17763)",
        "windows(10.0.17763+win32k)            | 10.0.17763          | win32k       | windows(10.0.17763+win32k)",
        "linux(+gpu)                           | ''                  | gpu          | linux(+gpu)",
        "linux(+unsorted+erofs)                | ''                  | unsorted,erofs | linux(+erofs+unsorted)",
        "windows(10.0.17763%2Bbuild.42)        | 10.0.17763+build.42 | ''           | windows(10.0.17763%2Bbuild.42)",
        "windows(10.0.17763%2Bbuild.42+win32k) | 10.0.17763+build.42 | win32k       | windows(10.0.17763%2Bbuild.42+win32k)",
        "windows(50%25done)                    | 50%done             | ''           | windows(50%25done)",
        "windows()                             | ''                  | ''           | windows",
      })
  void parse_osOptions_decodesVersionAndFeatures(
      String input, String osVersion, String features, String formattedOs) {
    Platform p = Platform.parse(input);
    assertEquals(osVersion.isEmpty() ? Optional.empty() : Optional.of(osVersion), p.osVersion());
    assertEquals(features.isEmpty() ? List.of() : List.of(features.split(",")), p.osFeatures());
    assertEquals(formattedOs + "/" + HOST_ARCH, p.toString());
    assertEquals(p.osVersion(), Platform.parse(p.toString()).osVersion());
  }

  @Test
  void toString_encodesSpecialCharactersAndSkipsEmptyFeatures() {
    assertEquals(
        "windows(1.0%28beta%29)/amd64",
        Platform.of("windows", "amd64").withOsVersion("1.0(beta)").toString());
    assertEquals(
        "windows(a%2Fb)/amd64", Platform.of("windows", "amd64").withOsVersion("a/b").toString());
    assertEquals(
        "linux(+feat%2Bv2)/amd64",
        Platform.of("linux", "amd64").withOsFeatures(List.of("feat+v2")).toString());
    assertEquals(
        "linux(+gpu+simd)/amd64",
        Platform.of("linux", "amd64").withOsFeatures(List.of("", "gpu", "", "simd")).toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "/linux/arm",
        "linux/arm/",
        "linux /arm",
        "linux/&arm",
        "linux/arm/foo/bar",
        "*",
        "linux/*",
        "notanos",
        "windows(%zz)"
      })
  void parse_invalid_isRejected(String input) {
    InvalidReferenceException e =
        assertThrows(InvalidReferenceException.class, () -> Platform.parse(input));
    assertEquals(input, e.input());
  }

  @ParameterizedTest(name = "{0} runs {1}")
  @CsvSource({
    "linux/arm64, linux/aarch64",
    "linux/arm64, linux/arm64/v8",
    "linux/arm64/v8, linux/arm64",
    "linux/arm, linux/arm/v7",
    "linux/arm, linux/armhf",
    "linux/arm/v7, linux/arm",
    "linux/arm/v6, linux/armel",
    "linux/arm/v7, linux/arm/v6",
    "linux/arm/v7, linux/arm/v5",
    "linux/arm64, linux/arm/v8",
    "linux/arm64, linux/arm/v7",
    "linux/arm64, linux/arm/v5",
    "linux/amd64, linux/386",
    "linux/amd64/v3, linux/amd64/v2",
    "linux/amd64/v3, linux/amd64",
    "linux/amd64/v3, linux/386",
    "linux/arm64/v8.2, linux/arm64/v8.1",
    "linux/arm64/v8.2, linux/arm64",
    "linux/arm64/v9.1, linux/arm64/v9",
    "linux/arm64/v9.1, linux/arm64/v8.6",
  })
  void matches_compatibleFallbacks(String host, String image) {
    assertTrue(Platform.parse(host).matches(Platform.parse(image)));
  }

  @ParameterizedTest(name = "{0} does not run {1}")
  @CsvSource({
    "linux/arm/v6, linux/arm/v7",
    "linux/arm/v5, linux/arm/v6",
    "linux/386, linux/amd64",
    "linux/amd64, linux/amd64/v2",
    "linux/amd64, linux/arm64",
    "linux/arm/v7, linux/arm64",
    "linux/amd64, windows/amd64",
    "linux/arm64, linux/arm64/v8.1",
    "linux/arm64/v9.1, linux/arm64/v8.7",
  })
  void matches_incompatible_isFalse(String host, String image) {
    assertFalse(Platform.parse(host).matches(Platform.parse(image)));
  }

  @Test
  void rank_prefersExactThenNearestFallback() {
    Platform armv7 = Platform.parse("linux/arm/v7");
    assertEquals(OptionalInt.of(0), armv7.rank(Platform.of("linux", "arm", "v7")));
    assertEquals(OptionalInt.of(1), armv7.rank(Platform.of("linux", "arm", "v6")));
    assertEquals(OptionalInt.of(2), armv7.rank(Platform.of("linux", "arm", "v5")));
    assertEquals(OptionalInt.empty(), armv7.rank(Platform.of("linux", "arm64")));

    Platform arm64 = Platform.parse("linux/arm64");
    assertEquals(OptionalInt.of(0), arm64.rank(Platform.of("linux", "arm64", "v8")));
    assertTrue(arm64.rank(Platform.of("linux", "arm", "v7")).getAsInt() > 0);
  }

  @Test
  void matchesExactly_noFallbacks() {
    Platform armv7 = Platform.parse("linux/arm/v7");
    assertTrue(armv7.matchesExactly(Platform.of("linux", "arm")));
    assertTrue(armv7.matchesExactly(Platform.of("linux", "armhf")));
    assertFalse(armv7.matchesExactly(Platform.of("linux", "arm", "v6")));
    assertFalse(Platform.parse("linux/amd64").matchesExactly(Platform.of("linux", "386")));
    assertTrue(Platform.parse("linux/arm64").matchesExactly(Platform.of("linux", "arm64", "v8")));
  }

  @Test
  void matches_osFeatures_candidateMustBeSubset() {
    Platform host = Platform.parse("linux(+gpu+simd)/amd64");
    assertTrue(host.matches(Platform.of("linux", "amd64").withOsFeatures(List.of("gpu"))));
    assertFalse(host.matches(Platform.of("linux", "amd64").withOsFeatures(List.of("erofs"))));
    assertFalse(
        Platform.parse("linux/amd64")
            .matches(Platform.of("linux", "amd64").withOsFeatures(List.of("gpu"))));
  }

  @ParameterizedTest(name = "host {0} runs {1}: {2}")
  @CsvSource({
    // Before Windows Server 2022 the build must match exactly; the revision may differ.
    "10.0.17763, 10.0.17763.5830, true",
    "10.0.17763.1, 10.0.17763.5830, true",
    "10.0.17763, 10.0.20348.2461, false",
    "10.0.17763, 10.0.14393.1, false",
    // From 20348 on, a host runs images from 20348 up to its own build.
    "10.0.20348, 10.0.20348.2461, true",
    "10.0.20348, 10.0.17763.5830, false",
    "10.0.26100, 10.0.20348.2461, true",
    "10.0.26100, 10.0.26100.1, true",
    "10.0.22621, 10.0.26100.1, false",
    "10.0.26100, 10.0.17763.1, false",
    "6.3.9600, 10.0.9600, false",
  })
  void matches_windowsOsVersion_followsContainerd(String host, String image, boolean expected) {
    Platform h = Platform.parse("windows(" + host + ")/amd64");
    Platform i = Platform.of("windows", "amd64").withOsVersion(image);
    assertEquals(expected, h.matches(i));
  }

  @Test
  void matches_windowsWithoutVersion_matchesAnyBuild() {
    assertTrue(
        Platform.parse("windows/amd64")
            .matches(Platform.of("windows", "amd64").withOsVersion("10.0.17763.1")));
    assertTrue(
        Platform.parse("windows(10.0.17763)/amd64").matches(Platform.of("windows", "amd64")));
  }

  @Test
  void isUnknown_forAttestationPlatform() {
    assertTrue(Platform.of("unknown", "unknown").isUnknown());
    assertFalse(Platform.of("linux", "unknown").isUnknown());
  }

  @Test
  void normalize_canonicalForm() {
    assertEquals("linux/arm/v7", Platform.of("linux", "arm").normalize().toString());
    assertEquals("linux/arm64", Platform.of("Linux", "AArch64", "V8").normalize().toString());
    assertEquals("linux/386", Platform.of("linux", "i386").normalize().toString());
  }
}
