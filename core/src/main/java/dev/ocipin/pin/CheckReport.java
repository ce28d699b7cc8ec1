package dev.ocipin.pin;

import java.util.List;

/**
 * What {@link Pinner#check} found: one entry per reference, in file and line order, and the
 * references it left alone.
 *
 * @param entries each reference's status
 * @param notes references not checked, and why
 */
public record CheckReport(List<CheckEntry> entries, List<PinNote> notes) {
  /** Copies the lists. */
  public CheckReport {
    entries = List.copyOf(entries);
    notes = List.copyOf(notes);
  }

  /** Returns whether every reference is pinned and current: the CI gate passes. */
  public boolean allCurrent() {
    return entries.stream().allMatch(e -> e.status() == CheckEntry.Status.PINNED_CURRENT);
  }

  /** Returns whether any reference could not be checked (not found, or an error). */
  public boolean hasErrors() {
    return entries.stream()
        .anyMatch(
            e ->
                e.status() == CheckEntry.Status.ERROR || e.status() == CheckEntry.Status.NOT_FOUND);
  }
}
