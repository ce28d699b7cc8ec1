package dev.ocipin.lock;

import dev.ocipin.Digest;
import dev.ocipin.DigestResolver;
import dev.ocipin.ImageReference;
import dev.ocipin.internal.http.Futures;
import dev.ocipin.pin.CheckEntry;
import dev.ocipin.pin.CheckEntry.Status;
import dev.ocipin.pin.CheckReport;
import dev.ocipin.registry.ManifestNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** What talks to a registry for a lock: resolving declared images, and checking them for drift. */
final class Locking {
  private Locking() {}

  /** See {@link ImageLock#lock}. */
  static TreeMap<String, ImageLock.Entry> lock(
      Map<String, ImageLock.Entry> locked,
      List<ImageLock.Declared> declared,
      DigestResolver resolver,
      boolean update)
      throws IOException {
    TreeMap<String, ImageLock.Entry> next = new TreeMap<>();
    List<ImageLock.Declared> toResolve = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (ImageLock.Declared d : declared) {
      if (!names.add(d.name())) {
        throw new IllegalArgumentException("image " + d.name() + " is declared twice");
      }
      ImageLock.Entry old = locked.get(d.name());
      if (!update && old != null && ImageLock.answers(old, d)) {
        next.put(d.name(), old);
      } else {
        toResolve.add(d);
      }
    }
    List<CompletableFuture<ImageLock.Entry>> pending = new ArrayList<>();
    for (ImageLock.Declared d : toResolve) {
      pending.add(
          d.platform().isPresent()
              ? resolver
                  .resolveAsync(d.reference(), d.platform().get())
                  .thenApply(
                      m ->
                          new ImageLock.Entry(
                              d.name(), d.reference(), m.pinned(), m.mediaType(), d.platform()))
              : resolver
                  .resolveIndexAsync(d.reference())
                  .thenApply(
                      idx ->
                          new ImageLock.Entry(
                              d.name(),
                              d.reference(),
                              idx.pinned(),
                              idx.mediaType(),
                              d.platform())));
    }
    for (int i = 0; i < pending.size(); i++) {
      try {
        ImageLock.Entry e = pending.get(i).get();
        next.put(e.name(), e);
      } catch (InterruptedException e) {
        pending.forEach(f -> f.cancel(true));
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while locking images");
      } catch (ExecutionException e) {
        pending.forEach(f -> f.cancel(true));
        Throwable cause = Futures.unwrap(e);
        throw new LockFileException(
            "cannot lock image " + toResolve.get(i).name() + ": " + cause.getMessage(), cause);
      }
    }
    return next;
  }

  /**
   * See {@link ImageLock#check}: one entry per declared image (or, with none declared, per locked
   * one), in name order, each on the line of its {@code [NAME]} section in {@code file}.
   */
  static CheckReport check(
      ImageLock lock, List<ImageLock.Declared> declared, DigestResolver resolver, Path file)
      throws IOException {
    List<ImageLock.Declared> asked = new ArrayList<>(declared);
    if (asked.isEmpty()) {
      lock.entries()
          .forEach(e -> asked.add(new ImageLock.Declared(e.name(), e.reference(), e.platform())));
    }
    asked.sort(java.util.Comparator.comparing(ImageLock.Declared::name));
    Map<String, Integer> lines = sectionLines(file);
    List<CompletableFuture<CheckEntry>> pending = new ArrayList<>();
    for (ImageLock.Declared d : asked) {
      int line = lines.getOrDefault(d.name(), 0);
      Optional<ImageLock.Entry> e = lock.get(d.name());
      if (e.isEmpty()) {
        pending.add(done(file, line, d.reference(), Status.UNPINNED, null, "not locked; lock it"));
      } else if (!ImageLock.answers(e.get(), d)) {
        pending.add(
            done(
                file,
                line,
                d.reference(),
                Status.UNPINNED,
                e.get().pinned().digest().orElseThrow(),
                "locked for "
                    + e.get().reference()
                    + e.get().platform().map(p -> " (" + p + ")").orElse("")
                    + ", declared "
                    + d.reference()
                    + d.platform().map(p -> " (" + p + ")").orElse("")
                    + "; lock it again with update"));
      } else {
        pending.add(drift(file, line, e.get(), resolver));
      }
    }
    List<CheckEntry> entries = new ArrayList<>();
    for (CompletableFuture<CheckEntry> p : pending) {
      try {
        entries.add(p.get());
      } catch (InterruptedException ex) {
        pending.forEach(f -> f.cancel(true));
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while checking the lock");
      } catch (ExecutionException ex) {
        throw new IllegalStateException("a drift check never fails: " + ex.getCause(), ex);
      }
    }
    return new CheckReport(entries, List.of());
  }

  private static CompletableFuture<CheckEntry> drift(
      Path file, int line, ImageLock.Entry e, DigestResolver resolver) {
    ImageReference ref = ImageReference.parse(e.reference());
    Digest pinned = e.pinned().digest().orElseThrow();
    CompletableFuture<Digest> current =
        e.platform().isPresent()
            ? resolver.resolveAsync(ref, e.platform().get()).thenApply(m -> m.digest())
            : resolver.digestAsync(ref);
    return current.handle(
        (now, failure) -> {
          if (failure != null) {
            Throwable cause = Futures.unwrap(failure);
            boolean notFound = cause instanceof ManifestNotFoundException;
            return new CheckEntry(
                file,
                line,
                e.reference(),
                notFound ? Status.NOT_FOUND : Status.ERROR,
                Optional.of(pinned),
                Optional.empty(),
                String.valueOf(cause.getMessage()));
          }
          boolean same = now.equals(pinned);
          return new CheckEntry(
              file,
              line,
              e.reference(),
              same ? Status.PINNED_CURRENT : Status.DRIFTED,
              Optional.of(pinned),
              Optional.of(now),
              same
                  ? ""
                  : "tag moved from " + pinned + " to " + now + "; lock it again with update");
        });
  }

  /** The 1-based line of each {@code [NAME]} in {@code file}; none when it cannot be read. */
  private static Map<String, Integer> sectionLines(Path file) {
    Map<String, Integer> lines = new java.util.HashMap<>();
    try {
      List<String> text = java.nio.file.Files.readAllLines(file);
      for (int i = 0; i < text.size(); i++) {
        String l = text.get(i).strip();
        if (l.length() > 2 && l.startsWith("[") && l.endsWith("]")) {
          lines.putIfAbsent(l.substring(1, l.length() - 1).strip(), i + 1);
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      // A lock that is not on disk (yet) has no lines to point at: line 0.
    }
    return lines;
  }

  private static CompletableFuture<CheckEntry> done(
      Path file, int line, String ref, Status status, Digest pinned, String detail) {
    return CompletableFuture.completedFuture(
        new CheckEntry(
            file, line, ref, status, Optional.ofNullable(pinned), Optional.empty(), detail));
  }
}
