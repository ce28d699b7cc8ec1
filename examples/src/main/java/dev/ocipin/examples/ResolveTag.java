package dev.ocipin.examples;

import dev.ocipin.DigestResolver;
import dev.ocipin.ResolvedIndex;
import java.io.IOException;
import java.io.PrintStream;

/**
 * Resolves a tag to the reference that pins it for every platform, and lists what the index holds.
 * The code samples in {@code DigestResolver}'s documentation come from here, so they compile.
 *
 * <pre>
 * java -cp examples/target/ocipin.jar dev.ocipin.examples.ResolveTag ruby:3.3.0-slim
 * </pre>
 */
public final class ResolveTag {
  private ResolveTag() {}

  /** Resolves {@code args[0]}; exits 1 with the message when that fails. */
  public static void main(String[] args) {
    try {
      run(args[0], DigestResolver.create(), System.out);
    } catch (IOException e) {
      System.err.println(e.getMessage());
      System.exit(1);
    }
  }

  /** Resolves {@code tag} with {@code resolver} and prints the pinned reference and platforms. */
  public static void run(String tag, DigestResolver resolver, PrintStream out) throws IOException {
    ResolvedIndex idx = resolver.resolveIndex(tag);
    out.println(idx.pinned()); // docker.io/library/ruby:3.3.0-slim@sha256:...
    idx.images().forEach(d -> out.println("  " + d.platform().orElseThrow() + " " + d.digest()));
    out.println("  and " + idx.attestations().size() + " attestations");
  }
}
