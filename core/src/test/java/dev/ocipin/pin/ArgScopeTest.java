package dev.ocipin.pin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ARG values and expansion, as BuildKit reads them in FROM lines. */
class ArgScopeTest {
  private static ArgScope scope() {
    ArgScope s = new ArgScope(Map.of("SET", "from-build-arg"), '\\');
    s.declare("TAG", Optional.of("3.19"), 1, Optional.of(new Span(8, 12)));
    s.declare("EMPTY", Optional.of(""), 2, Optional.empty());
    s.declare("NONE", Optional.empty(), 3, Optional.empty());
    s.declare("SET", Optional.of("file-default"), 4, Optional.of(new Span(40, 52)));
    return s;
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "alpine:$TAG            | alpine:3.19",
        "alpine:${TAG}          | alpine:3.19",
        "alpine:${NONE:-3.20}   | alpine:3.20",
        "alpine:${EMPTY:-3.20}  | alpine:3.20",
        "alpine:${NONE:-\"3.20\"} | alpine:3.20",
        "alpine:${NONE:-'3.20'} | alpine:3.20",
        "alpine:${EMPTY-3.20}   | alpine:",
        "alpine:${TAG:+edge}    | alpine:edge",
        "alpine:${NONE+edge}    | alpine:",
        "img:$SET               | img:from-build-arg",
        "a\\$TAG                | a$TAG",
        "alpine:$NONE           | <none>",
        "alpine:${TAG           | <none>",
        "alpine:${1BAD}         | <none>",
      })
  void expand(String raw, String expected) {
    assertEquals(expected, scope().expand(raw).orElse("<none>"));
  }

  @Test
  void buildArg_overridesTheDefault_andMakesItNotRewritable() {
    ArgScope.Arg set = scope().get("SET").orElseThrow();
    assertEquals("from-build-arg", set.value);
    assertTrue(set.span.isEmpty());
    assertTrue(scope().setByBuildArg("SET"));
    assertEquals(Optional.of(new Span(8, 12)), scope().get("TAG").orElseThrow().span);
  }
}
