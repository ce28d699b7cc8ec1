package dev.ocipin.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChallengeTest {
  static Stream<Arguments> single() {
    return Stream.of(
        // Docker Hub
        Arguments.of(
            "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/ruby:pull\"",
            "bearer",
            Map.of(
                "realm",
                "https://auth.docker.io/token",
                "service",
                "registry.docker.io",
                "scope",
                "repository:library/ruby:pull")),
        // GHCR
        Arguments.of(
            "Bearer realm=\"https://ghcr.io/token\",service=\"ghcr.io\",scope=\"repository:owner/img:pull\"",
            "bearer",
            Map.of(
                "realm",
                "https://ghcr.io/token",
                "service",
                "ghcr.io",
                "scope",
                "repository:owner/img:pull")),
        // Basic-auth distribution registry
        Arguments.of("Basic realm=\"Registry Realm\"", "basic", Map.of("realm", "Registry Realm")),
        // Any order, spaces around '=', and after commas
        Arguments.of(
            "Bearer  scope=\"a\" ,  service = \"s\",realm=\"https://r/t\"",
            "bearer",
            Map.of("realm", "https://r/t", "service", "s", "scope", "a")),
        // Case-insensitive scheme and keys
        Arguments.of(
            "BEARER Realm=\"https://r/t\",SERVICE=\"s\"",
            "bearer",
            Map.of("realm", "https://r/t", "service", "s")),
        // Quoted commas and escapes
        Arguments.of(
            "Bearer realm=\"https://r/t\",scope=\"repository:a/b:pull,push repository:c:pull\",error=\"say \\\"hi\\\"\"",
            "bearer",
            Map.of(
                "realm",
                "https://r/t",
                "scope",
                "repository:a/b:pull,push repository:c:pull",
                "error",
                "say \"hi\"")),
        // Unquoted token values
        Arguments.of(
            "Bearer realm=https://r/t,service=s",
            "bearer",
            Map.of("realm", "https://r/t", "service", "s")),
        // Empty quoted value
        Arguments.of("Basic realm=\"\"", "basic", Map.of("realm", "")));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("single")
  void parse_oneChallenge(String header, String scheme, Map<String, String> params) {
    List<Challenge> all = Challenge.parse(header);
    assertEquals(1, all.size(), all.toString());
    assertEquals(scheme, all.get(0).scheme());
    assertEquals(params, all.get(0).params());
  }

  @Test
  void parse_severalChallengesOnOneLine() {
    List<Challenge> all =
        Challenge.parse(
            "Basic realm=\"basic, with comma\", Bearer realm=\"https://r/t\",service=\"s\"");
    assertEquals(2, all.size());
    assertEquals("basic", all.get(0).scheme());
    assertEquals("basic, with comma", all.get(0).param("realm").orElseThrow());
    assertEquals("bearer", all.get(1).scheme());
    assertEquals("s", all.get(1).param("Service").orElseThrow());
  }

  @Test
  void parseAll_severalHeaders() {
    List<Challenge> all =
        Challenge.parseAll(List.of("Negotiate abc123==", "Bearer realm=\"https://r/t\""));
    assertEquals(List.of("negotiate", "bearer"), all.stream().map(Challenge::scheme).toList());
    assertTrue(all.get(1).isBearer());
  }

  @Test
  void parse_garbage_givesNoParamsButNoError() {
    assertEquals(List.of(), Challenge.parse(""));
    assertEquals(List.of(), Challenge.parse(" , ,"));
    List<Challenge> odd = Challenge.parse("Bearer realm=\"unterminated");
    assertEquals("unterminated", odd.get(0).param("realm").orElseThrow());
  }
}
