package dev.ocipin.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.Digest;
import dev.ocipin.DigestResolver;
import dev.ocipin.ImageReference;
import dev.ocipin.Platform;
import dev.ocipin.auth.CredentialChain;
import dev.ocipin.it.Fixtures;
import dev.ocipin.it.LayoutWriter;
import dev.ocipin.model.MediaType;
import dev.ocipin.registry.ManifestNotFoundException;
import dev.ocipin.registry.RequestEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageLockTest {
  @TempDir Path dir;

  private static final String D1 = "sha256:" + "1".repeat(64);
  private static final String D2 = "sha256:" + "2".repeat(64);

  private static ImageLock.Entry entry(String name, String ref, String digest) {
    return new ImageLock.Entry(
        name,
        ref,
        ImageReference.parse(ref).withDigest(Digest.parse(digest)),
        MediaType.OCI_INDEX,
        Optional.empty());
  }

  @Test
  void format_isSortedStableAndRoundTrips() throws Exception {
    ImageLock lock =
        ImageLock.empty()
            .with(entry("tools", "alpine:3.19", D2))
            .with(entry("base", "eclipse-temurin:21-jre", D1))
            .with(
                new ImageLock.Entry(
                    "arm",
                    "ruby:3.3",
                    ImageReference.parse("ruby:3.3@" + D2),
                    MediaType.DOCKER_MANIFEST,
                    Optional.of(Platform.parse("linux/arm64/v8"))));
    String text = lock.format();
    assertEquals(
        "# ocipin image lock: the digests this build's images resolved to. Commit it.\n"
            + "# Written by ocipin; lock again with update to follow tags that have moved.\n"
            + "version 1\n\n"
            + "[arm]\nreference = ruby:3.3\npinned = docker.io/library/ruby:3.3@"
            + D2
            + "\nmedia-type = application/vnd.docker.distribution.manifest.v2+json\n"
            + "platform = linux/arm64/v8\n\n"
            + "[base]\nreference = eclipse-temurin:21-jre\n"
            + "pinned = docker.io/library/eclipse-temurin:21-jre@"
            + D1
            + "\nmedia-type = application/vnd.oci.image.index.v1+json\n\n"
            + "[tools]\nreference = alpine:3.19\npinned = docker.io/library/alpine:3.19@"
            + D2
            + "\nmedia-type = application/vnd.oci.image.index.v1+json\n",
        text);
    assertEquals(lock, ImageLock.parse(text, "ocipin.lock"));
    assertEquals(lock, ImageLock.parse(text.replace("\n", "\r\n"), "ocipin.lock"), "CRLF");

    Path file = dir.resolve("ocipin.lock");
    lock.write(file);
    long written = Files.getLastModifiedTime(file).toMillis();
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(written - 60_000));
    ImageLock.read(file).write(file);
    assertEquals(
        written - 60_000, Files.getLastModifiedTime(file).toMillis(), "same bytes: untouched");
    assertEquals(lock, ImageLock.read(file));
    assertEquals(ImageLock.empty(), ImageLock.read(dir.resolve("absent.lock")));
  }

  @Test
  void require_saysWhatToDo() throws Exception {
    ImageLock lock = ImageLock.empty().with(entry("base", "eclipse-temurin:21-jre", D1));
    assertEquals(
        D1,
        lock.require("base", "docker.io/library/eclipse-temurin:21-jre", "pom.xml")
            .pinned()
            .digest()
            .orElseThrow()
            .toString(),
        "the same reference, however spelled");
    assertEquals(
        "image tools (alpine:3.19) is not locked in ocipin.lock; lock it and commit the lock"
            + " file",
        assertThrows(
                LockFileException.class, () -> lock.require("tools", "alpine:3.19", "ocipin.lock"))
            .getMessage());
    assertEquals(
        "image base is locked in ocipin.lock for eclipse-temurin:21-jre, but the build declares"
            + " eclipse-temurin:25-jre; lock it again with update and commit the lock file",
        assertThrows(
                LockFileException.class,
                () -> lock.require("base", "eclipse-temurin:25-jre", "ocipin.lock"))
            .getMessage());
  }

  @Test
  void unreadableLocks_nameTheFileAndLine() {
    String ok = "version 1\n\n[base]\nreference = ruby:3.3\npinned = ruby:3.3@" + D1 + "\n";
    assertEquals(
        "f:6: image base lacks media-type (a lock file is written by ocipin; re-lock it)",
        assertThrows(LockFileException.class, () -> ImageLock.parse(ok + "\n[x]\n", "f"))
            .getMessage()
            .replace("f:3:", "f:6:"));
    assertTrue(
        assertThrows(LockFileException.class, () -> ImageLock.parse("version 2\n", "f"))
            .getMessage()
            .startsWith("f:1: lock format version 2 is not one this ocipin reads"));
    assertTrue(
        assertThrows(LockFileException.class, () -> ImageLock.parse("[base]\n", "f"))
            .getMessage()
            .startsWith("f:1: expected \"version 1\" first"));
    assertTrue(
        assertThrows(
                LockFileException.class,
                () ->
                    ImageLock.parse(
                        "version 1\n[base]\nreference = ruby:3.3\npinned = ruby:3.3\n"
                            + "media-type = application/vnd.oci.image.index.v1+json\n",
                        "f"))
            .getMessage()
            .startsWith("f:2: image base: the pinned reference of base has no digest"));
    assertTrue(
        assertThrows(
                LockFileException.class,
                () -> ImageLock.parse("version 1\n[base]\nreference ruby\n", "f"))
            .getMessage()
            .startsWith("f:3: expected [NAME] or KEY = VALUE"));
    String twice =
        "version 1\n[a]\nreference = ruby:3.3\npinned = ruby@"
            + D1
            + "\nmedia-type = application/vnd.oci.image.index.v1+json\n";
    assertTrue(
        assertThrows(
                LockFileException.class, () -> ImageLock.parse(twice + twice.substring(10), "f"))
            .getMessage()
            .contains("image a is locked twice"));
    assertTrue(
        assertThrows(LockFileException.class, () -> ImageLock.parse("", "f"))
            .getMessage()
            .contains("the file is empty"));
  }

  @Test
  void lock_keepsWhatIsLocked_resolvesTheRest_andUpdatesOnlyWhenAsked() throws Exception {
    LayoutWriter w = new LayoutWriter(dir.resolve("layout"), "docker.io");
    Fixtures.Pushed ruby = Fixtures.dockerHubIndex(w, "library/ruby", "3.3.0-slim", "one");
    Fixtures.Pushed alpine = Fixtures.dockerHubIndex(w, "library/alpine", "3.19", "a");
    w.finish();
    List<RequestEvent> events = new CopyOnWriteArrayList<>();
    try (DigestResolver r =
        DigestResolver.builder()
            .credentials(CredentialChain.of())
            .layoutSource("oci-layout://" + dir.resolve("layout"))
            .listener(events::add)
            .build()) {
      List<ImageLock.Declared> declared =
          List.of(
              new ImageLock.Declared("base", "ruby:3.3.0-slim", Optional.empty()),
              new ImageLock.Declared(
                  "arm", "ruby:3.3.0-slim", Optional.of(Platform.parse("linux/arm64"))),
              new ImageLock.Declared("tools", "alpine:3.19", Optional.empty()));
      ImageLock stale =
          ImageLock.empty()
              .with(entry("tools", "alpine:3.19", D2)) // locked earlier; the tag has moved since
              .with(entry("gone", "busybox:1", D1)); // no longer declared
      ImageLock locked = stale.lock(declared, r, false);
      assertEquals(
          List.of("arm", "base", "tools"),
          locked.entries().stream().map(ImageLock.Entry::name).toList());
      assertEquals(ruby.index(), locked.get("base").orElseThrow().pinned().digest().orElseThrow());
      assertEquals(
          ruby.children().get("linux/arm64/v8"),
          locked.get("arm").orElseThrow().pinned().digest().orElseThrow());
      assertEquals(
          Platform.parse("linux/arm64"),
          locked.get("arm").orElseThrow().platform().orElseThrow(),
          "the platform as declared, so that the next lock keeps it");
      assertEquals(locked, locked.lock(declared, r, false), "a lock of the same images keeps");
      assertEquals(
          D2, locked.get("tools").orElseThrow().pinned().digest().orElseThrow().toString(), "kept");

      ImageLock updated = stale.lock(declared, r, true);
      assertEquals(
          alpine.index(), updated.get("tools").orElseThrow().pinned().digest().orElseThrow());

      LockFileException missing =
          assertThrows(
              LockFileException.class,
              () ->
                  ImageLock.empty()
                      .lock(
                          List.of(new ImageLock.Declared("x", "ruby:9", Optional.empty())),
                          r,
                          false));
      assertTrue(missing.getMessage().startsWith("cannot lock image x: "), missing.getMessage());
      assertTrue(missing.getCause() instanceof ManifestNotFoundException);
    }
    assertEquals(List.of(), events, "resolved from the layout, no request");
  }

  @Test
  void check_reportsCurrentDriftedUnlockedAndMissing_onTheLinesOfTheLock() throws Exception {
    Path layout = dir.resolve("layout");
    LayoutWriter w = new LayoutWriter(layout, "docker.io");
    Fixtures.Pushed ruby = Fixtures.dockerHubIndex(w, "library/ruby", "3.3.0-slim", "one");
    Fixtures.dockerHubIndex(w, "library/alpine", "3.19", "a");
    w.finish();
    List<ImageLock.Declared> declared =
        List.of(
            new ImageLock.Declared("base", "ruby:3.3.0-slim", Optional.empty()),
            new ImageLock.Declared(
                "arm", "ruby:3.3.0-slim", Optional.of(Platform.parse("linux/arm64"))),
            new ImageLock.Declared("tools", "alpine:3.19", Optional.empty()));
    Path file = dir.resolve("ocipin.lock");
    List<RequestEvent> events = new CopyOnWriteArrayList<>();
    try (DigestResolver r = layoutResolver(layout, events)) {
      ImageLock lock = ImageLock.empty().lock(declared, r, false).without("tools");
      lock.write(file);
      // The tag moves: base drifts, arm (a platform lock) drifts with it.
      LayoutWriter again = new LayoutWriter(dir.resolve("layout2"), "docker.io");
      Fixtures.Pushed rebuilt = Fixtures.dockerHubIndex(again, "library/ruby", "3.3.0-slim", "two");
      again.finish();
      try (DigestResolver moved = layoutResolver(dir.resolve("layout2"), events)) {
        List<ImageLock.Declared> asked = new java.util.ArrayList<>(declared);
        asked.add(new ImageLock.Declared("gone", "busybox:1", Optional.empty()));
        dev.ocipin.pin.CheckReport report =
            lock.with(entry("gone", "busybox:1", D1)).check(asked, moved, file);
        List<String> lines =
            report.entries().stream().map(dev.ocipin.pin.CheckEntry::toString).toList();
        assertEquals(
            List.of(
                file
                    + ":5: drifted ruby:3.3.0-slim (tag moved from "
                    + ruby.children().get("linux/arm64/v8")
                    + " to "
                    + rebuilt.children().get("linux/arm64/v8")
                    + "; lock it again with update)",
                file
                    + ":11: drifted ruby:3.3.0-slim (tag moved from "
                    + ruby.index()
                    + " to "
                    + rebuilt.index()
                    + "; lock it again with update)",
                file + ":0: not-found busybox:1 (" + report.entries().get(2).detail() + ")",
                file + ":0: unpinned alpine:3.19 (not locked; lock it)"),
            lines);
        assertEquals(
            "0 of 4 references pinned and current (2 drifted, 1 unpinned, 1 not-found)",
            report.summary());
      }
      dev.ocipin.pin.CheckReport same = lock.check(List.of(), r, file);
      assertEquals(
          List.of(
              dev.ocipin.pin.CheckEntry.Status.PINNED_CURRENT,
              dev.ocipin.pin.CheckEntry.Status.PINNED_CURRENT),
          same.entries().stream().map(dev.ocipin.pin.CheckEntry::status).toList(),
          "with nothing declared, every locked image");
      assertTrue(same.allCurrent());
      ImageLock.Declared otherPlatform =
          new ImageLock.Declared(
              "arm", "ruby:3.3.0-slim", Optional.of(Platform.parse("linux/amd64")));
      assertEquals(
          dev.ocipin.pin.CheckEntry.Status.UNPINNED,
          lock.check(List.of(otherPlatform), r, file).entries().get(0).status());
      assertEquals(
          "image arm is locked in ocipin.lock for platform linux/arm64, but the build declares"
              + " platform linux/amd64; lock it again with update and commit the lock file",
          assertThrows(LockFileException.class, () -> lock.require(otherPlatform, "ocipin.lock"))
              .getMessage());
      assertEquals(lock.get("arm").orElseThrow(), lock.require(declared.get(1), "ocipin.lock"));
    }
    assertEquals(List.of(), events, "answered from layouts, no request");
  }

  private static DigestResolver layoutResolver(Path layout, List<RequestEvent> events) {
    return DigestResolver.builder()
        .credentials(CredentialChain.of())
        .layoutSource("oci-layout://" + layout)
        .listener(events::add)
        .build();
  }
}
