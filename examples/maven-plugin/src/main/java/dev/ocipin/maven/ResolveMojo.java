package dev.ocipin.maven;

import dev.ocipin.lock.ImageLock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Reads the lock file and sets one project property per image, {@code ocipin.image.NAME}, to its
 * pinned reference, so that later plugins build on a digest: Jib's {@code
 * <from><image>${ocipin.image.base}</image></from>}. Needs no network, so it works offline. Fails
 * when an image is declared but not locked, or locked for another reference or platform. With no
 * images declared, every locked image gets its property.
 */
@Mojo(name = "resolve", defaultPhase = LifecyclePhase.INITIALIZE, threadSafe = true)
public class ResolveMojo extends OcipinMojo {
  /** Made by Maven, with its settings decrypter. */
  @Inject
  public ResolveMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  /** The prefix of the properties this goal sets. */
  static final String PREFIX = "ocipin.image.";

  @Override
  void run() throws IOException, MojoFailureException {
    ImageLock lock = ImageLock.read(lockFile.toPath());
    List<ImageLock.Entry> entries = new ArrayList<>();
    List<ImageLock.Declared> declared = declared();
    if (declared.isEmpty()) {
      entries.addAll(lock.entries());
      if (entries.isEmpty()) {
        throw new MojoFailureException(
            "ocipin: no images declared and "
                + lockName()
                + " locks none; declare <images> and run ocipin:lock");
      }
    } else {
      for (ImageLock.Declared d : declared) {
        entries.add(lock.require(d, lockName()));
      }
    }
    for (ImageLock.Entry e : entries) {
      project.getProperties().setProperty(PREFIX + e.name(), e.pinned().toString());
      getLog().info(PREFIX + e.name() + " = " + e.pinned());
    }
  }
}
