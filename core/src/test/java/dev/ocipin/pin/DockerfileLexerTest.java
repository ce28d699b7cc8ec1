package dev.ocipin.pin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The lexer on its own: what BuildKit would read as instructions, and where each word stands. */
class DockerfileLexerTest {
  private static List<String> lex(String text) {
    return new DockerfileLexer(text)
        .instructions().stream()
            .map(
                i ->
                    i.line()
                        + " "
                        + i.words().stream().map(w -> w.text).collect(Collectors.joining(" ")))
            .collect(Collectors.toList());
  }

  @Test
  void continuations_commentsAndBlankLinesInside_areSkipped() {
    assertEquals(
        List.of("1 FROM alpine:3.19", "5 RUN apk add curl"),
        lex("FROM \\\n# a comment inside\n\n  alpine:3.19\nRUN apk add \\\n    curl\n"));
  }

  @Test
  void escapedEscape_doesNotContinue() {
    assertEquals(List.of("1 RUN echo \\\\", "2 FROM x"), lex("RUN echo \\\\\nFROM x\n"));
  }

  @Test
  void backtickEscapeDirective_isHonoured_andCrLfTolerated() {
    DockerfileLexer l =
        new DockerfileLexer("# escape=`\r\nFROM `\r\n  mcr.microsoft.com/windows:ltsc2022\r\n");
    assertEquals('`', l.escape());
    assertEquals(
        List.of("2 FROM mcr.microsoft.com/windows:ltsc2022"),
        l.instructions().stream()
            .map(i -> i.line() + " " + i.words().get(0).text + " " + i.words().get(1).text)
            .collect(Collectors.toList()));
  }

  @Test
  void directivesCountOnlyAtTheTop() {
    assertEquals('\\', new DockerfileLexer("FROM x\n# escape=`\n").escape());
  }

  @Test
  void unknownEscape_isARefusal() {
    assertTrue(new DockerfileLexer("# escape=x\nFROM y\n").refusal().isPresent());
  }

  @Test
  void heredocs_areSkippedToTheirTerminator_withTabsStrippedForDash() {
    assertEquals(
        List.of("1 RUN <<EOF", "4 COPY <<-END /x", "7 FROM alpine"),
        lex(
            "RUN <<EOF\nFROM not-an-instruction\nEOF\nCOPY <<-END /x\n\tFROM neither\n\tEND\nFROM alpine\n"));
  }

  @Test
  void quotedWhitespace_staysInOneWord() {
    assertEquals(List.of("1 ARG X=\"a b\""), lex("ARG X=\"a b\"\n"));
  }

  @Test
  void wordSpans_areFileOffsets_andEmptyAcrossAContinuation() {
    String text = "FROM \\\n  ghcr.io/a/b:1\nFROM ghcr.io/c/\\\nd:2\n";
    DockerfileLexer l = new DockerfileLexer(text);
    DockerfileLexer.Word first = l.instructions().get(0).words().get(1);
    Span at = first.span(0, first.text.length()).orElseThrow();
    assertEquals("ghcr.io/a/b:1", text.substring(at.start(), at.end()));
    assertEquals(2, l.lineOf(at.start()));
    DockerfileLexer.Word split = l.instructions().get(1).words().get(1);
    assertEquals("ghcr.io/c/d:2", split.text);
    assertEquals(Optional.empty(), split.span(0, split.text.length()));
  }
}
