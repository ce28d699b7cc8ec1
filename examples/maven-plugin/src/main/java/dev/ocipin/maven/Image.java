package dev.ocipin.maven;

import dev.ocipin.Platform;
import dev.ocipin.lock.ImageLock;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One {@code <image>} of the plugin's {@code <images>}: the name a build refers to it by, the
 * reference to lock, and optionally the one platform to lock instead of the index.
 *
 * <pre>{@code
 * <image>
 *   <name>base</name>
 *   <reference>eclipse-temurin:21-jre</reference>
 *   <platform>linux/amd64</platform>  <!-- optional -->
 * </image>
 * }</pre>
 */
public class Image {
  // Set by Maven from the configuration: any may be missing.
  private @Nullable String name;
  private @Nullable String reference;
  private @Nullable String platform;

  /** For Maven, which sets the fields from the configuration. */
  public Image() {}

  Image(@Nullable String name, @Nullable String reference, @Nullable String platform) {
    this.name = name;
    this.reference = reference;
    this.platform = platform;
  }

  /**
   * The image as the lock declares it.
   *
   * @throws IllegalArgumentException naming what is missing or malformed
   */
  ImageLock.Declared declared() {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(
          "an <image> has no <name>; give each image a name, such as <name>base</name>");
    }
    if (reference == null || reference.isBlank()) {
      throw new IllegalArgumentException(
          "image "
              + name
              + " has no <reference>; give the reference to lock, such as"
              + " <reference>eclipse-temurin:21-jre</reference>");
    }
    Optional<Platform> p =
        platform == null || platform.isBlank()
            ? Optional.empty()
            : Optional.of(Platform.parse(platform.strip()));
    return new ImageLock.Declared(name.strip(), reference.strip(), p);
  }
}
