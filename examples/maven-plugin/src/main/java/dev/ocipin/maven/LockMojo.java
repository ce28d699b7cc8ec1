package dev.ocipin.maven;

import dev.ocipin.DigestResolver;
import dev.ocipin.lock.ImageLock;
import java.io.IOException;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Resolves the declared images and writes the lock file: for each image, the reference, the pinned
 * reference (the index digest, or one platform's manifest digest), its media type and the platform.
 * An image already locked for the same reference and platform is kept as it is unless {@code
 * -Docipin.update}; images no longer declared are dropped. The file is written whole or not at all,
 * and not at all when nothing changed. Needs the network.
 */
@Mojo(name = "lock", threadSafe = true)
public class LockMojo extends OcipinMojo {
  /** Made by Maven, with its settings decrypter. */
  @Inject
  public LockMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  /** Re-resolves every image, following tags that have moved. */
  @Parameter(property = "ocipin.update", defaultValue = "false")
  boolean update;

  @Override
  void run() throws IOException, MojoFailureException {
    List<ImageLock.Declared> declared = declared();
    if (declared.isEmpty()) {
      throw new MojoFailureException(
          "ocipin: no images to lock; declare them in the plugin's configuration:"
              + " <images><image><name>base</name><reference>eclipse-temurin:21-jre</reference>"
              + "</image></images>");
    }
    requireOnline("lock");
    ImageLock old = ImageLock.read(lockFile.toPath());
    ImageLock next;
    try (DigestResolver resolver = resolver()) {
      next = old.lock(declared, resolver, update);
    }
    next.write(lockFile.toPath());
    for (ImageLock.Entry e : next.entries()) {
      String was =
          old.get(e.name())
              .map(o -> o.equals(e) ? "kept" : "updated from " + o.pinned().digest().orElseThrow())
              .orElse("new");
      getLog().info(e.name() + ": " + e.reference() + " -> " + e.pinned() + " (" + was + ")");
    }
    for (ImageLock.Entry o : old.entries()) {
      if (next.get(o.name()).isEmpty()) {
        getLog().info(o.name() + ": dropped, no longer declared");
      }
    }
    getLog()
        .info(
            old.equals(next)
                ? lockName() + " is up to date"
                : "wrote " + lockName() + " (" + next.entries().size() + " images); commit it");
  }
}
