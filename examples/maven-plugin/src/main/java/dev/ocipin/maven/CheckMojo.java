package dev.ocipin.maven;

import dev.ocipin.DigestResolver;
import dev.ocipin.lock.ImageLock;
import dev.ocipin.pin.CheckEntry;
import dev.ocipin.pin.CheckEntry.Status;
import dev.ocipin.pin.CheckReport;
import dev.ocipin.pin.PinNote;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Reports drift: each locked image whose tag has moved since it was locked, and each reference in
 * the project's Dockerfiles, compose and Kubernetes files whose pinned digest is no longer what its
 * tag points to, with the statuses of the command line's {@code check}: {@code pinned-current},
 * {@code drifted}, {@code unpinned}, {@code not-found}, {@code error}. Fails the build on drift (or
 * a tag gone) unless {@code failOnDrift} is false, on unpinned references and unlocked images
 * unless {@code failOnUnpinned} is false, and always when a reference could not be checked. Bound
 * to {@code verify} when an execution names it. Needs the network.
 */
@Mojo(name = "check", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class CheckMojo extends FilesMojo {
  /** Made by Maven, with its settings decrypter. */
  @Inject
  public CheckMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  /** Fails the build when a tag has moved (or is gone) since it was locked or pinned. */
  @Parameter(property = "ocipin.failOnDrift", defaultValue = "true")
  boolean failOnDrift;

  /** Fails the build on a reference without a digest, or a declared image not locked. */
  @Parameter(property = "ocipin.failOnUnpinned", defaultValue = "true")
  boolean failOnUnpinned;

  /** Checks the project's Dockerfiles, compose and Kubernetes files too, not only the lock. */
  @Parameter(property = "ocipin.checkFiles", defaultValue = "true")
  boolean checkFiles;

  @Override
  void run() throws IOException, MojoFailureException {
    requireOnline("check");
    List<CheckEntry> entries = new ArrayList<>();
    List<PinNote> notes = new ArrayList<>();
    List<ImageLock.Declared> declared = declared();
    Path lock = lockFile.toPath();
    try (DigestResolver resolver = resolver()) {
      if (!declared.isEmpty() || Files.exists(lock)) {
        entries.addAll(ImageLock.read(lock).check(declared, resolver, lock).entries());
      }
      List<Path> found = checkFiles ? projectFiles() : List.of();
      if (!found.isEmpty()) {
        CheckReport files = pinner(resolver).build().check(found);
        entries.addAll(files.entries());
        notes.addAll(files.notes());
      }
    }
    CheckReport report = new CheckReport(entries, notes);
    for (CheckEntry e : report.entries()) {
      if (e.status() == Status.PINNED_CURRENT) {
        getLog().info(shown(e));
      } else {
        getLog().warn(shown(e));
      }
    }
    report.notes().stream()
        .filter(n -> !n.isRoutine())
        .forEach(n -> getLog().warn("note: " + shown(n)));
    getLog().info(report.summary());
    boolean error = has(report, Status.ERROR);
    boolean drift = has(report, Status.DRIFTED) || has(report, Status.NOT_FOUND);
    boolean unpinned = has(report, Status.UNPINNED);
    if (error || (drift && failOnDrift) || (unpinned && failOnUnpinned)) {
      throw new MojoFailureException(report.summary());
    }
  }

  private static boolean has(CheckReport report, Status status) {
    return report.entries().stream().anyMatch(e -> e.status() == status);
  }
}
