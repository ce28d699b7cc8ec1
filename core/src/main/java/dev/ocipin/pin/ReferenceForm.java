package dev.ocipin.pin;

/** How a pinned reference is written. */
public enum ReferenceForm {
  /**
   * Keeps the reference as it is written, such as {@code registry.docker.com/library/ruby:3.3}, and
   * only adds or replaces the digest. The default.
   */
  KEEP,
  /** Writes the short form Docker prints: {@code ruby:3.3.0-slim@sha256:...}. */
  FAMILIAR,
  /** Writes the canonical form: {@code docker.io/library/ruby:3.3.0-slim@sha256:...}. */
  CANONICAL
}
