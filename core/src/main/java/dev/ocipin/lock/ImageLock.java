package dev.ocipin.lock;

import dev.ocipin.ImageReference;
import dev.ocipin.InvalidReferenceException;
import dev.ocipin.Platform;
import dev.ocipin.model.MediaType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * An image lock file ({@code ocipin.lock}): for each named image of a build, the reference asked
 * for, the pinned reference it resolved to, its media type and, for a one-platform lock, the
 * platform. The format is text, sorted by name, with no timestamps, so that re-locking an unchanged
 * project changes no byte and a moved tag is a two-line diff:
 *
 * <pre>
 * # ocipin image lock: the digests this build's images resolved to. Commit it.
 * version 1
 *
 * [base]
 * reference = eclipse-temurin:21-jre
 * pinned = docker.io/library/eclipse-temurin:21-jre@sha256:...
 * media-type = application/vnd.oci.image.index.v1+json
 * </pre>
 *
 * <p>Immutable; {@link #with} and {@link #without} return new locks. Reading never touches the
 * network, so a build can resolve its images from the lock offline.
 */
public final class ImageLock {
  /** The format version this class reads and writes. */
  public static final int VERSION = 1;

  /** Image names: what a build refers to them by, and the key of a property. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  /**
   * One locked image.
   *
   * @param name what the build calls it ({@code base}); letters, digits, {@code . _ -}
   * @param reference the reference as declared ({@code eclipse-temurin:21-jre})
   * @param pinned what it resolved to, with its digest
   * @param mediaType the pinned manifest's media type (an index, or one platform's manifest)
   * @param platform the platform the lock is for, when the image was locked for one platform
   */
  public record Entry(
      String name,
      String reference,
      ImageReference pinned,
      MediaType mediaType,
      Optional<Platform> platform) {
    /** Checks the parts: a valid name, a parseable reference, a pinned reference with a digest. */
    public Entry {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(reference, "reference");
      Objects.requireNonNull(pinned, "pinned");
      Objects.requireNonNull(mediaType, "mediaType");
      Objects.requireNonNull(platform, "platform");
      checkName(name);
      ImageReference.parse(reference);
      if (pinned.digest().isEmpty()) {
        throw new IllegalArgumentException(
            "the pinned reference of " + name + " has no digest: " + pinned);
      }
    }
  }

  /**
   * An image a build declares.
   *
   * @param name what the build calls it
   * @param reference the reference, usually a tag
   * @param platform the one platform to lock, or empty to lock the index (every platform)
   */
  public record Declared(String name, String reference, Optional<Platform> platform) {
    /** Checks that the parts are present. */
    public Declared {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(reference, "reference");
      Objects.requireNonNull(platform, "platform");
    }
  }

  private final TreeMap<String, Entry> entries;

  private ImageLock(TreeMap<String, Entry> entries) {
    this.entries = entries;
  }

  /** An empty lock. */
  public static ImageLock empty() {
    return new ImageLock(new TreeMap<>());
  }

  /** The entries, sorted by name. */
  public List<Entry> entries() {
    return List.copyOf(entries.values());
  }

  /** The entry named {@code name}, if locked. */
  public Optional<Entry> get(String name) {
    return Optional.ofNullable(entries.get(name));
  }

  /**
   * The entry that {@code name} must have for a build that declares it as {@code reference}.
   *
   * @throws LockFileException when it is not locked, or locked for another reference; the message
   *     says how to re-lock
   */
  public Entry require(String name, String reference, String source) throws LockFileException {
    Entry e = entries.get(name);
    if (e == null) {
      throw new LockFileException(
          "image "
              + name
              + " ("
              + reference
              + ") is not locked in "
              + source
              + "; lock it and commit the lock file");
    }
    if (!sameReference(e.reference(), reference)) {
      throw new LockFileException(
          "image "
              + name
              + " is locked in "
              + source
              + " for "
              + e.reference()
              + ", but the build declares "
              + reference
              + "; lock it again with update and commit the lock file");
    }
    return e;
  }

  /**
   * The entry that {@code declared} must have: {@link #require(String, String, String)}, and locked
   * for the same platform (or for the index when none is declared).
   *
   * @throws LockFileException when it is not locked, or locked for another reference or platform
   */
  public Entry require(Declared declared, String source) throws LockFileException {
    Entry e = require(declared.name(), declared.reference(), source);
    if (!e.platform().equals(declared.platform())) {
      throw new LockFileException(
          "image "
              + declared.name()
              + " is locked in "
              + source
              + " for "
              + e.platform().map(p -> "platform " + p).orElse("every platform (the index)")
              + ", but the build declares "
              + declared.platform().map(p -> "platform " + p).orElse("every platform (the index)")
              + "; lock it again with update and commit the lock file");
    }
    return e;
  }

  private static boolean sameReference(String a, String b) {
    try {
      return ImageReference.parse(a).equals(ImageReference.parse(b));
    } catch (InvalidReferenceException e) {
      return a.equals(b);
    }
  }

  /**
   * Locks {@code declared}: an entry whose reference and platform are still the ones declared is
   * kept as it is (the point of a lock) unless {@code update}; the others are resolved with {@code
   * resolver}: the index digest, or with a platform that platform's manifest. Entries no longer
   * declared are dropped. Resolves concurrently, and either every image resolves or the lock is
   * left as it was.
   *
   * @throws LockFileException the first resolution failure, naming the image
   * @throws IOException when interrupted
   */
  public ImageLock lock(List<Declared> declared, dev.ocipin.DigestResolver resolver, boolean update)
      throws IOException {
    for (Declared d : declared) {
      checkName(d.name());
      ImageReference.parse(d.reference());
    }
    return new ImageLock(Locking.lock(entries, declared, resolver, update));
  }

  /**
   * Checks the lock against the registries, as {@link dev.ocipin.pin.Pinner#check} checks files:
   * for each image of {@code declared} (or, when it is empty, each locked image), {@code
   * pinned-current} when its reference still resolves to the locked digest, {@code drifted} when
   * the tag has moved, {@code unpinned} when it is not locked or locked for another reference or
   * platform, {@code not-found} or {@code error} when it cannot be resolved. Each entry names
   * {@code file} and the line of its {@code [NAME]} section there. Sends one HEAD per index lock;
   * never throws for an image.
   *
   * @throws IOException when interrupted
   */
  public dev.ocipin.pin.CheckReport check(
      List<Declared> declared, dev.ocipin.DigestResolver resolver, Path file) throws IOException {
    return Locking.check(this, declared, resolver, file);
  }

  /**
   * Whether {@code e} is the lock of {@code d}: the same reference, however spelled, and platform.
   */
  static boolean answers(Entry e, Declared d) {
    return sameReference(e.reference(), d.reference()) && e.platform().equals(d.platform());
  }

  private static void checkName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "image name \""
              + name
              + "\" must be 1 to 128 letters, digits, '.', '_' or '-', starting with a letter"
              + " or digit");
    }
  }

  /** A copy with {@code entry}, replacing one of the same name. */
  public ImageLock with(Entry entry) {
    TreeMap<String, Entry> copy = new TreeMap<>(entries);
    copy.put(entry.name(), entry);
    return new ImageLock(copy);
  }

  /** A copy without the entry named {@code name}. */
  public ImageLock without(String name) {
    TreeMap<String, Entry> copy = new TreeMap<>(entries);
    copy.remove(name);
    return new ImageLock(copy);
  }

  /** The lock as its file holds it: LF line ends, sorted, no timestamps. */
  public String format() {
    return LockFormat.format(entries.values());
  }

  /**
   * Writes the lock to {@code file} whole or not at all: to a temporary file next to it, then
   * renamed over it. Writes nothing when the file already holds these bytes.
   */
  public void write(Path file) throws IOException {
    byte[] bytes = format().getBytes(StandardCharsets.UTF_8);
    if (Files.isRegularFile(file) && java.util.Arrays.equals(Files.readAllBytes(file), bytes)) {
      return;
    }
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      Files.write(tmp, bytes);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Reads the lock in {@code file}; a file that does not exist is an empty lock.
   *
   * @throws LockFileException naming the file and line of anything it cannot read
   */
  public static ImageLock read(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return empty();
    } catch (java.nio.charset.MalformedInputException e) {
      throw new LockFileException(file + " is not UTF-8 text; restore it from version control");
    }
    return parse(text, file.toString());
  }

  /**
   * Parses lock text; {@code source} names it in messages.
   *
   * @throws LockFileException naming the source and line of anything it cannot read
   */
  public static ImageLock parse(String text, String source) throws LockFileException {
    return new ImageLock(LockFormat.parse(text, source));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageLock && ((ImageLock) o).entries.equals(entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return "ImageLock" + entries.keySet();
  }
}
