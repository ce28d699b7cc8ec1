package dev.ocipin.model;

import dev.ocipin.Digest;
import dev.ocipin.internal.json.ManifestCodec;
import java.util.Objects;
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
    ManifestCodec.Decoded decoded = ManifestCodec.decode(copy, contentType);
    return new ParsedManifest(decoded.manifest(), decoded.mediaType(), digest, copy);
  }

  /**
   * Writes {@code manifest} as compact JSON, fields in the order of the OCI specification. The
   * digest of the result is the digest a registry will report for it once pushed.
   */
  public static byte[] toJson(Manifest manifest) {
    return ManifestCodec.encode(Objects.requireNonNull(manifest, "manifest"));
  }
}
