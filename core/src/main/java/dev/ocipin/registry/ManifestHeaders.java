package dev.ocipin.registry;

import dev.ocipin.Digest;
import dev.ocipin.model.Descriptor;
import dev.ocipin.model.MediaType;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads what a registry's response headers say about a manifest: {@code Content-Type}, {@code
 * Docker-Content-Digest} and {@code Content-Length}. These are a server's words: nothing here
 * throws, and what does not parse counts as absent.
 */
final class ManifestHeaders {
  private ManifestHeaders() {}

  /**
   * The descriptor a HEAD answer's headers describe, or empty when they do not say all of it (a
   * digest, a media type and a size), so the caller falls back to a GET it can verify. Never
   * throws: these are a server's words.
   */
  static Optional<Descriptor> descriptor(
      Optional<String> contentType, Optional<String> digest, Optional<String> contentLength) {
    Optional<Digest> d = digest.flatMap(ManifestHeaders::digest);
    Optional<MediaType> type = contentType.flatMap(ManifestHeaders::mediaType);
    OptionalLong size = OptionalLong.empty();
    try {
      long n = contentLength.isPresent() ? Long.parseLong(contentLength.get().trim()) : -1;
      size = n >= 0 ? OptionalLong.of(n) : OptionalLong.empty();
    } catch (NumberFormatException e) {
      // Not a length: treat it as absent.
    }
    if (d.isEmpty() || type.isEmpty() || size.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        Descriptor.builder().mediaType(type.get()).digest(d.get()).size(size.getAsLong()).build());
  }

  private static Optional<MediaType> mediaType(String header) {
    try {
      return Optional.of(MediaType.of(header));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // blank, or only parameters such as "; charset=utf-8"
    }
  }

  /** The digest a {@code Docker-Content-Digest} header names, or empty when it names none. */
  static Optional<Digest> digest(String header) {
    try {
      return Optional.of(Digest.parse(header.trim()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
