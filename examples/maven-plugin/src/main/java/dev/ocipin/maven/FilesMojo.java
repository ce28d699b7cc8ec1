package dev.ocipin.maven;

import dev.ocipin.DigestResolver;
import dev.ocipin.Platform;
import dev.ocipin.pin.PinFiles;
import dev.ocipin.pin.Pinner;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.jspecify.annotations.Nullable;

/** A goal over the project's Dockerfiles, compose files and Kubernetes manifests. */
abstract class FilesMojo extends OcipinMojo {
  FilesMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  /**
   * Files and directories to search for Dockerfiles, compose files, Kubernetes and Helm YAML and CI
   * workflows; the project's directory by default. {@code target}, {@code node_modules} and hidden
   * directories other than {@code .github} are skipped.
   */
  @Parameter(property = "ocipin.files")
  List<File> files = new ArrayList<>();

  /** One platform's manifest digest instead of the index digest (os/arch[/variant]). */
  @Parameter(property = "ocipin.platform")
  @Nullable String platform;

  /** Values for Dockerfile {@code ARG}s, as {@code docker build --build-arg} gives them. */
  @Parameter Map<String, String> buildArgs = new LinkedHashMap<>();

  /** The files to pin or check, sorted; every configured path must exist. */
  List<Path> projectFiles() throws IOException {
    List<File> roots = files.isEmpty() ? List.of(project.getBasedir()) : files;
    List<Path> out = new ArrayList<>();
    for (File f : roots) {
      Path p = f.toPath();
      if (!Files.exists(p)) {
        throw new IllegalArgumentException(
            "no such file or directory: " + p + "; fix <files> or -Docipin.files");
      }
      out.addAll(PinFiles.find(p));
    }
    return out;
  }

  /** A pinner with this goal's platform and build arguments. */
  Pinner.Builder pinner(DigestResolver resolver) {
    Pinner.Builder b = Pinner.builder(resolver);
    if (platform != null && !platform.isBlank()) {
      b.platform(Platform.parse(platform.strip()));
    }
    buildArgs.forEach(b::buildArg);
    return b;
  }

  /** {@code o} as text, with paths relative to the project directory. */
  String shown(Object o) {
    return o.toString().replace(project.getBasedir().getAbsolutePath() + File.separator, "");
  }
}
