package dev.ocipin.pin;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** One file to pin: read and scanned, or why it could not be read. */
sealed interface ScannedFile
    permits ScannedFile.Read, ScannedFile.Unreadable, ScannedFile.HelmTemplate {
  /** Returns the file. */
  Path file();

  /** A file read as UTF-8 and scanned: its text and what the scanner found in it. */
  record Read(Path file, String text, Scan scan) implements ScannedFile {}

  /** A file that could not be read as UTF-8 text, and why. */
  record Unreadable(Path file, String why) implements ScannedFile {}

  /** A template of a Helm chart: not YAML until the chart is rendered, so not read. */
  record HelmTemplate(Path file, Path chart) implements ScannedFile {}

  /**
   * Reads {@code file} as strict UTF-8 and scans it: as YAML when its name ends in {@code .yaml} or
   * {@code .yml}, else as a Dockerfile with {@code buildArgs}.
   */
  static ScannedFile read(Path file, Map<String, String> buildArgs) {
    if (PinFiles.isYaml(file) && PinFiles.isHelmTemplate(file)) {
      return new HelmTemplate(file, PinFiles.chartOf(file).orElseThrow());
    }
    String text;
    try {
      byte[] bytes = Files.readAllBytes(file);
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      return new Unreadable(file, "not UTF-8 text");
    } catch (IOException e) {
      return new Unreadable(
          file, "cannot be read: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    Scan scan =
        PinFiles.isYaml(file)
            ? YamlScanner.scan(file, text)
            : DockerfileScanner.scan(file, text, buildArgs);
    return new Read(file, text, scan);
  }
}
