package dev.ocipin.maven;

import dev.ocipin.DigestResolver;
import dev.ocipin.pin.PinNote;
import dev.ocipin.pin.PinPlan;
import dev.ocipin.pin.ReferenceForm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Pins every image reference in the project's Dockerfiles, compose and Kubernetes files to its
 * digest, as the command line's {@code pin} does: {@code FROM eclipse-temurin:21-jre} becomes
 * {@code FROM eclipse-temurin:21-jre@sha256:...}. A file is rewritten whole or not at all. Already
 * pinned references are kept unless {@code update}. Fails when a reference cannot be pinned (its
 * tag is not found, or the registry cannot be asked); references only a person can pin (built from
 * variables) are reported. Needs the network.
 */
@Mojo(name = "pin", threadSafe = true)
public class PinMojo extends FilesMojo {
  /** Made by Maven, with its settings decrypter. */
  @Inject
  public PinMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  /** Prints the diff instead of writing the files. */
  @Parameter(property = "ocipin.dryRun", defaultValue = "false")
  boolean dryRun;

  /** Re-pins references whose tags have moved. */
  @Parameter(property = "ocipin.update", defaultValue = "false")
  boolean update;

  /**
   * How a pinned reference is written: {@code keep} (as it was, plus the digest), {@code familiar}
   * ({@code ruby:3.3@sha256:...}) or {@code canonical} ({@code
   * docker.io/library/ruby:3.3@sha256:...}).
   */
  @Parameter(property = "ocipin.form", defaultValue = "keep")
  String form;

  /** Writes a tagless reference as {@code busybox@sha256:...}, not {@code busybox:latest@...}. */
  @Parameter(property = "ocipin.bareTagless", defaultValue = "false")
  boolean bareTagless;

  @Override
  void run() throws IOException, MojoFailureException {
    ReferenceForm f = ReferenceForm.parse(form);
    requireOnline("pin");
    List<Path> found = projectFiles();
    if (found.isEmpty()) {
      getLog().info("no Dockerfiles, compose or Kubernetes files to pin");
      return;
    }
    PinPlan plan;
    try (DigestResolver resolver = resolver()) {
      plan = pinner(resolver).update(update).form(f).bareTagless(bareTagless).build().plan(found);
    }
    if (dryRun) {
      String diff = plan.diff();
      if (!diff.isEmpty()) {
        getLog().info("\n" + shown(diff));
      }
    } else {
      plan.apply();
      plan.changes().forEach(c -> getLog().info(shown(c)));
    }
    plan.notes().stream()
        .filter(n -> !n.isRoutine())
        .forEach(n -> getLog().warn("note: " + shown(n)));
    plan.failures().forEach(n -> getLog().error("ocipin: " + shown(n)));
    String summary =
        plan.summary() + " in " + found.size() + " file" + (found.size() == 1 ? "" : "s");
    getLog().info(summary);
    if (!plan.failures().isEmpty()) {
      throw new MojoFailureException(summary);
    }
    if (plan.notes().stream().anyMatch(PinNote::leavesUnpinned)) {
      getLog().warn("references are left unpinned; the notes above say why");
    }
  }
}
