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

  /**
   * Returns one line for a person: {@code 3 of 5 references pinned and current (1 drifted, 1
   * unpinned), 2 skipped (2 build stage)}.
   */
  public String summary() {
    java.util.Map<CheckEntry.Status, Long> byStatus =
        new java.util.EnumMap<>(CheckEntry.Status.class);
    entries.forEach(e -> byStatus.merge(e.status(), 1L, Long::sum));
    long current = byStatus.getOrDefault(CheckEntry.Status.PINNED_CURRENT, 0L);
    StringBuilder others = new StringBuilder();
    byStatus.forEach(
        (status, count) -> {
          if (status != CheckEntry.Status.PINNED_CURRENT) {
            others
                .append(others.length() == 0 ? "" : ", ")
                .append(count)
                .append(' ')
                .append(status.label());
          }
        });
    return current
        + " of "
        + entries.size()
        + " references pinned and current"
        + (others.length() == 0 ? "" : " (" + others + ")")
        + (notes.isEmpty() ? "" : ", " + PinNote.countByKind(notes));
  }

  /** Returns whether any reference could not be checked (not found, or an error). */
  public boolean hasErrors() {
    return entries.stream()
        .anyMatch(
            e ->
                e.status() == CheckEntry.Status.ERROR || e.status() == CheckEntry.Status.NOT_FOUND);
  }
}
