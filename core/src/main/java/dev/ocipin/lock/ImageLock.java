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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

  private static final String HEADER =
      "# ocipin image lock: the digests this build's images resolved to. Commit it.\n"
          + "# Written by ocipin; lock again with update to follow tags that have moved.\n";

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
   * @throws IOException the first resolution failure, naming the image
   */
  public ImageLock lock(List<Declared> declared, dev.ocipin.DigestResolver resolver, boolean update)
      throws IOException {
    TreeMap<String, Entry> next = new TreeMap<>();
    List<Declared> toResolve = new ArrayList<>();
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Declared d : declared) {
      checkName(d.name());
      ImageReference.parse(d.reference());
      if (!names.add(d.name())) {
        throw new IllegalArgumentException("image " + d.name() + " is declared twice");
      }
      Entry old = entries.get(d.name());
      if (!update
          && old != null
          && sameReference(old.reference(), d.reference())
          && old.platform().equals(d.platform())) {
        next.put(d.name(), old);
      } else {
        toResolve.add(d);
      }
    }
    List<java.util.concurrent.CompletableFuture<Entry>> pending = new ArrayList<>();
    for (Declared d : toResolve) {
      pending.add(
          d.platform().isPresent()
              ? resolver
                  .resolveAsync(d.reference(), d.platform().get())
                  .thenApply(
                      m ->
                          new Entry(
                              d.name(),
                              d.reference(),
                              m.pinned(),
                              m.mediaType(),
                              Optional.of(m.platform())))
              : resolver
                  .resolveIndexAsync(d.reference())
                  .thenApply(
                      idx ->
                          new Entry(
                              d.name(),
                              d.reference(),
                              idx.pinned(),
                              idx.mediaType(),
                              d.platform())));
    }
    for (int i = 0; i < pending.size(); i++) {
      try {
        Entry e = pending.get(i).get();
        next.put(e.name(), e);
      } catch (InterruptedException e) {
        pending.forEach(f -> f.cancel(true));
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while locking images");
      } catch (java.util.concurrent.ExecutionException e) {
        Throwable cause =
            e.getCause() instanceof java.util.concurrent.CompletionException
                    && e.getCause().getCause() != null
                ? e.getCause().getCause()
                : e.getCause();
        throw new LockFileException(
            "cannot lock image " + toResolve.get(i).name() + ": " + cause.getMessage(), cause);
      }
    }
    return new ImageLock(next);
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
    StringBuilder sb = new StringBuilder(HEADER).append("version ").append(VERSION).append('\n');
    for (Entry e : entries.values()) {
      sb.append('\n').append('[').append(e.name()).append("]\n");
      sb.append("reference = ").append(e.reference()).append('\n');
      sb.append("pinned = ").append(e.pinned()).append('\n');
      sb.append("media-type = ").append(e.mediaType()).append('\n');
      e.platform().ifPresent(p -> sb.append("platform = ").append(p).append('\n'));
    }
    return sb.toString();
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
    TreeMap<String, Entry> out = new TreeMap<>();
    String[] lines = text.split("\r?\n", -1);
    boolean versioned = false;
    String section = null;
    int sectionLine = 0;
    java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
    for (int i = 0; i <= lines.length; i++) {
      boolean end = i == lines.length;
      String line = end ? "[" : lines[i].strip(); // the end closes the last section
      int n = i + 1;
      if (line.isEmpty() || line.startsWith("#") || (end && !versioned)) {
        continue;
      }
      if (!versioned) {
        if (!line.startsWith("version ")) {
          throw error(source, n, "expected \"version " + VERSION + "\" first");
        }
        String v = line.substring("version ".length()).strip();
        if (!v.equals(String.valueOf(VERSION))) {
          throw error(
              source,
              n,
              "lock format version "
                  + v
                  + " is not one this ocipin reads (version "
                  + VERSION
                  + "); upgrade ocipin, or re-lock");
        }
        versioned = true;
        continue;
      }
      if (line.startsWith("[")) {
        if (section != null) {
          Entry e = entry(source, sectionLine, section, values);
          if (out.put(e.name(), e) != null) {
            throw error(source, sectionLine, "image " + section + " is locked twice");
          }
        }
        if (end) {
          break;
        }
        if (!line.endsWith("]") || line.length() < 3) {
          throw error(source, n, "a section is written [NAME]");
        }
        section = line.substring(1, line.length() - 1).strip();
        sectionLine = n;
        values = new java.util.LinkedHashMap<>();
        continue;
      }
      int eq = line.indexOf('=');
      if (section == null || eq <= 0) {
        throw error(source, n, "expected [NAME] or KEY = VALUE, not \"" + shorten(line) + "\"");
      }
      String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      if (values.put(key, line.substring(eq + 1).strip()) != null) {
        throw error(source, n, key + " is given twice for image " + section);
      }
    }
    if (!versioned) {
      throw error(source, 1, "the file is empty; expected \"version " + VERSION + "\"");
    }
    return new ImageLock(out);
  }

  private static Entry entry(
      String source, int line, String name, java.util.Map<String, String> values)
      throws LockFileException {
    List<String> missing = new ArrayList<>();
    for (String key : List.of("reference", "pinned", "media-type")) {
      if (!values.containsKey(key) || values.get(key).isEmpty()) {
        missing.add(key);
      }
    }
    if (!missing.isEmpty()) {
      throw error(source, line, "image " + name + " lacks " + String.join(", ", missing));
    }
    try {
      return new Entry(
          name,
          values.get("reference"),
          ImageReference.parse(values.get("pinned")),
          MediaType.of(values.get("media-type")),
          Optional.ofNullable(values.get("platform")).map(Platform::parse));
    } catch (IllegalArgumentException e) {
      throw error(source, line, "image " + name + ": " + e.getMessage());
    }
  }

  private static LockFileException error(String source, int line, String what) {
    return new LockFileException(
        source + ":" + line + ": " + what + " (a lock file is written by ocipin; re-lock it)");
  }

  private static String shorten(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
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
