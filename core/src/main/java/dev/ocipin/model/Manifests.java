package dev.ocipin.model;

import dev.ocipin.Digest;
import dev.ocipin.Platform;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads manifests from the bytes a registry serves, and writes them back.
 *
 * <p>Parsing is lenient about fields it does not know, so new OCI fields do not break it, and
 * strict about what matters:
 *
 * <ul>
 *   <li>{@code schemaVersion} must be 2;
 *   <li>a body whose {@code mediaType} contradicts the Content-Type is rejected;
 *   <li>a Docker schema 1 manifest gets an {@link UnsupportedManifestException};
 *   <li>malformed JSON gets an {@link InvalidManifestException} naming the line and column;
 *   <li>a JSON object with the same key twice is rejected, so no two readers of one body can
 *       disagree about what it says.
 * </ul>
 *
 * <p>All methods are thread-safe.
 */
public final class Manifests {
  /** The most bytes of an image config read to learn a single-platform image's platform. */
  public static final long MAX_CONFIG_BYTES = 8L * 1024 * 1024;

  private Manifests() {}

  /**
   * Parses a manifest and computes the sha256 digest of exactly {@code body}.
   *
   * @param body the bytes as received
   * @param contentType the Content-Type header, or {@code null}; generic types such as {@code
   *     application/json} are treated as absent
   * @throws InvalidManifestException when the body is not a valid manifest
   * @throws UnsupportedManifestException when it is a manifest of an unsupported kind
   */
  public static ParsedManifest parse(byte[] body, @Nullable String contentType)
      throws InvalidManifestException {
    Objects.requireNonNull(body, "body");
    byte[] copy = body.clone();
    Digest digest = Digest.sha256(copy);
    ManifestJson.Decoded decoded = ManifestJson.decode(copy, contentType);
    return new ParsedManifest(decoded.manifest(), decoded.mediaType(), digest, copy);
  }

  /**
   * Reads the platform of an image configuration blob ({@code os}, {@code architecture}, {@code
   * variant}, {@code os.version}, {@code os.features}), as a single-platform image's manifest
   * points to it; empty when the bytes are not an image config.
   */
  public static Optional<Platform> platformOfConfig(byte[] config) {
    return ManifestJson.platformOfConfig(Objects.requireNonNull(config, "config"));
  }

  /**
   * Writes {@code manifest} as compact JSON, fields in the order of the OCI specification. The
   * digest of the result is the digest a registry will report for it once pushed.
   */
  public static byte[] toJson(Manifest manifest) {
    return ManifestJson.encode(Objects.requireNonNull(manifest, "manifest"));
  }
}
