package dev.ocipin.examples;

import dev.ocipin.DigestResolver;
import dev.ocipin.pin.CheckReport;
import dev.ocipin.pin.PinFiles;
import dev.ocipin.pin.PinPlan;
import dev.ocipin.pin.Pinner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Pins every image a project's Dockerfiles, compose and Kubernetes files name to its index digest,
 * which serves every platform, then checks that nothing has drifted. The code samples in {@code
 * Pinner}'s documentation come from here, so they compile.
 *
 * <pre>
 * java -cp examples/target/ocipin.jar dev.ocipin.examples.PinAllPlatforms path/to/project
 * </pre>
 */
public final class PinAllPlatforms {
  private PinAllPlatforms() {}

  /** Pins the files under {@code args[0]}; exits 1 when something could not be pinned. */
  public static void main(String[] args) throws IOException {
    boolean ok = run(Path.of(args[0]), DigestResolver.create(), System.out);
    System.exit(ok ? 0 : 1);
  }

  /**
   * Pins the files under {@code project} with {@code resolver}, printing the diff; returns whether
   * every reference is pinned and current afterwards.
   */
  public static boolean run(Path project, DigestResolver resolver, PrintStream out)
      throws IOException {
    List<Path> files = PinFiles.find(project);
    Pinner pinner = Pinner.builder(resolver).build();
    PinPlan plan = pinner.plan(files);
    out.print(plan.diff());
    plan.apply(); // all files or none

    CheckReport report = pinner.check(files);
    return report.allCurrent(); // the CI gate
  }
}
