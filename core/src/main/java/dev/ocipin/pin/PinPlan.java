package dev.ocipin.pin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The edits a {@link Pinner} worked out, not yet written: review them with {@link #changes()} or
 * {@link #diff()}, then {@link #apply()} them.
 *
 * <p>Immutable. {@link #apply()} writes each file atomically (a temporary file in the same
 * directory, then a move), keeps its permissions, and refuses a file that changed since the plan
 * was made.
 */
public final class PinPlan {
  private final List<PinChange> changes;
  private final List<PinNote> notes;
  private final List<PinNote> failures;
  private final Map<Path, String> oldTexts;
  private final Map<Path, String> newTexts;
  private final int alreadyPinned;

  PinPlan(
      List<PinChange> changes,
      List<PinNote> notes,
      List<PinNote> failures,
      Map<Path, String> oldTexts,
      Map<Path, String> newTexts,
      int alreadyPinned) {
    this.alreadyPinned = alreadyPinned;
    this.changes = List.copyOf(changes);
    this.notes = List.copyOf(notes);
    this.failures = List.copyOf(failures);
    this.oldTexts = Map.copyOf(oldTexts);
    this.newTexts = Map.copyOf(newTexts);
  }

  /** Returns every edit, by file and line: file, line, old and new text, and the reason. */
  public List<PinChange> changes() {
    return changes;
  }

  /** Returns the references left alone, and why (build stages, templates, drift without update). */
  public List<PinNote> notes() {
    return notes;
  }

  /** Returns the files that will not be touched because something in them failed, and why. */
  public List<PinNote> failures() {
    return failures;
  }

  /** Returns how many references were pinned already and are current: nothing to do for them. */
  public int alreadyPinned() {
    return alreadyPinned;
  }

  /**
   * Returns one line for a person: how many references were pinned, were pinned already, were
   * skipped (by reason) and failed, such as {@code 3 pinned, 1 already pinned, 2 skipped (1 build
   * stage, 1 templated), 0 failed}.
   */
  public String summary() {
    List<PinNote> skipped = new java.util.ArrayList<>();
    long drifted = 0;
    for (PinNote n : notes) {
      if (n.kind() == PinNote.Kind.DRIFTED_NOT_UPDATED) {
        drifted++;
      } else {
        skipped.add(n);
      }
    }
    return changes.size()
        + " pinned, "
        + alreadyPinned
        + " already pinned"
        + (drifted > 0 ? ", " + drifted + " drifted (not updated)" : "")
        + ", "
        + PinNote.countByKind(skipped)
        + ", "
        + failures.size()
        + " failed";
  }

  /** Returns whether there is nothing to write. */
  public boolean isEmpty() {
    return changes.isEmpty();
  }

  /** Returns the files that {@link #apply()} would write, in the order given. */
  public List<Path> files() {
    List<Path> out = new ArrayList<>();
    for (PinChange c : changes) {
      if (!out.contains(c.file())) {
        out.add(c.file());
      }
    }
    return out;
  }

  /** Returns the edits as a unified diff, as {@code diff -u} would print it. */
  public String diff() {
    StringBuilder sb = new StringBuilder();
    for (Path file : files()) {
      sb.append(UnifiedDiff.of(file.toString(), oldTexts.get(file), newTexts.get(file)));
    }
    return sb.toString();
  }

  /**
   * Writes every changed file atomically, keeping its permissions. A file that changed on disk
   * since the plan was made is not written.
   *
   * @return the files written
   * @throws IOException when a file cannot be written; files already written stay written, and the
   *     failing file is left as it was
   */
  public List<Path> apply() throws IOException {
    List<Path> written = new ArrayList<>();
    for (Path file : files()) {
      String now = Files.readString(file, StandardCharsets.UTF_8);
      if (!now.equals(oldTexts.get(file))) {
        throw new IOException(file + " changed since the plan was made; plan again");
      }
      writeAtomically(file, newTexts.get(file));
      written.add(file);
    }
    return written;
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".ocipin");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
      if (posix != null) {
        Files.setPosixFilePermissions(tmp, posix.readAttributes().permissions());
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
