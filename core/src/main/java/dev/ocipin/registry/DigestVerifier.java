package dev.ocipin.registry;

import dev.ocipin.Digest;
import java.util.List;
import java.util.Optional;

/**
 * The one place a digest is checked: every manifest GET, every blob, and a HEAD answer for a
 * reference that names a digest. Content is hashed with the algorithm of the digest it is checked
 * against, so a registry that names manifests by sha512 is verified by sha512; a digest of an
 * algorithm ocipin cannot compute is a typed error, never a pass.
 */
final class DigestVerifier {
  private DigestVerifier() {}

  /**
   * The algorithm a manifest is named by: the reference's digest's, else the one the registry's
   * {@code Docker-Content-Digest} uses, else sha256, as the distribution spec defaults.
   */
  static String algorithmFor(Optional<Digest> asked, Optional<Digest> claimed) {
    return asked
        .or(() -> claimed)
        .filter(Digest::isSupported)
        .map(Digest::algorithm)
        .orElse(Digest.SHA256);
  }

  /**
   * Checks that {@code body} hashes to the digest the registry {@code claimed} and to the one the
   * caller {@code asked} for, each with its own algorithm.
   *
   * @throws DigestMismatchException when it does not
   * @throws RegistryException when a digest's algorithm cannot be computed
   */
  static void verify(String what, byte[] body, Optional<Digest> claimed, Optional<Digest> asked)
      throws RegistryException {
    if (claimed.isPresent()) {
      Digest actual = hash(what, body, claimed.get());
      if (!actual.equals(claimed.get())) {
        throw new DigestMismatchException(
            what
                + ": Docker-Content-Digest says "
                + claimed.get()
                + " but the body hashes to "
                + actual,
            claimed.get(),
            actual);
      }
    }
    if (asked.isPresent()) {
      Digest actual = hash(what, body, asked.get());
      if (!actual.equals(asked.get())) {
        throw new DigestMismatchException(
            what + ": asked for " + asked.get() + " but the body hashes to " + actual,
            asked.get(),
            actual);
      }
    }
  }

  /**
   * Checks that a HEAD answer's {@code claimed} digest is the one the reference {@code asked} for,
   * if it asked for one.
   */
  static void verifyClaim(String what, Digest claimed, Optional<Digest> asked)
      throws DigestMismatchException {
    if (asked.isPresent() && !asked.get().equals(claimed)) {
      throw new DigestMismatchException(
          what + ": the registry claims " + claimed + " for the digest " + asked.get(),
          asked.get(),
          claimed);
    }
  }

  private static Digest hash(String what, byte[] body, Digest like) throws RegistryException {
    if (!like.isSupported()) {
      throw new RegistryException(
          what
              + ": cannot verify "
              + like
              + ": ocipin computes sha256 and sha512 digests, not "
              + like.algorithm(),
          0,
          List.of(),
          null);
    }
    return Digest.of(like.algorithm(), body);
  }
}
