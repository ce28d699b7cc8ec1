package dev.ocipin;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A content digest such as {@code
 * sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b}.
 *
 * <p>A digest is {@code algorithm:encoded}. Two algorithms are supported, as in the OCI image
 * specification: {@code sha256} with 64 lowercase hex characters, and {@code sha512} with 128.
 * Digests are immutable and safe to share between threads.
 *
 * <p>To hash a stream as it passes, use {@link #hasher(String)}:
 *
 * <pre>{@code
 * Digest.Hasher h = Digest.hasher("sha256");
 * h.update(buffer, 0, n);   // as many times as needed
 * Digest d = h.digest();
 * }</pre>
 */
public final class Digest {
  /** The algorithm name {@code sha256}. */
  public static final String SHA256 = "sha256";

  /** The algorithm name {@code sha512}. */
  public static final String SHA512 = "sha512";

  private final String algorithm;
  private final String encoded;

  private Digest(String algorithm, String encoded) {
    this.algorithm = algorithm;
    this.encoded = encoded;
  }

  /**
   * Parses {@code algorithm:encoded}.
   *
   * @throws InvalidReferenceException when a part is empty, the algorithm is not sha256 or sha512,
   *     the encoded part has the wrong length, or it is not lowercase hex. The message names which.
   */
  public static Digest parse(String text) {
    Objects.requireNonNull(text, "text");
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new InvalidReferenceException(
          text, "invalid digest: expected algorithm:encoded, such as sha256:<64 hex characters>");
    }
    String algorithm = text.substring(0, colon);
    String encoded = text.substring(colon + 1);
    if (algorithm.isEmpty()) {
      throw new InvalidReferenceException(text, "invalid digest: the algorithm is empty");
    }
    if (encoded.isEmpty()) {
      throw new InvalidReferenceException(text, "invalid digest: the encoded part is empty");
    }
    int expected = expectedLength(algorithm);
    if (expected < 0) {
      throw new InvalidReferenceException(
          text, "unsupported digest algorithm (use sha256 or sha512)", algorithm);
    }
    if (encoded.length() != expected) {
      throw new InvalidReferenceException(
          text,
          "invalid digest length: "
              + algorithm
              + " needs "
              + expected
              + " hex characters, got "
              + encoded.length(),
          encoded);
    }
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      boolean lowerHex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      if (!lowerHex) {
        String why =
            (c >= 'A' && c <= 'F')
                ? "invalid digest: hex must be lowercase"
                : "invalid digest: the encoded part must be hex";
        throw new InvalidReferenceException(text, why, encoded);
      }
    }
    return new Digest(algorithm, encoded);
  }

  // OCI image-spec descriptor.md: algorithm-component and encoded grammar.
  private static final java.util.regex.Pattern OCI_ALGORITHM =
      java.util.regex.Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*");
  private static final java.util.regex.Pattern OCI_ENCODED =
      java.util.regex.Pattern.compile("[a-zA-Z0-9=_-]+");

  /**
   * Parses a digest read from a manifest. A sha256 or sha512 digest is checked as {@link #parse}
   * checks it; any other algorithm is accepted when it fits the OCI image specification's grammar,
   * which asks implementations to let digests with unknown algorithms pass validation. Such a
   * digest ({@code blake3:...}) is kept and printed, but {@link #isSupported()} is false: nothing
   * can be verified against it.
   *
   * @throws InvalidReferenceException when the text fits neither
   */
  public static Digest parseLenient(String text) {
    Objects.requireNonNull(text, "text");
    int colon = text.indexOf(':');
    String algorithm = colon < 0 ? "" : text.substring(0, colon);
    if (expectedLength(algorithm) >= 0 || colon < 0) {
      return parse(text);
    }
    String encoded = text.substring(colon + 1);
    if (!OCI_ALGORITHM.matcher(algorithm).matches() || !OCI_ENCODED.matcher(encoded).matches()) {
      throw new InvalidReferenceException(
          text, "invalid digest: not algorithm:encoded as the OCI image specification defines");
    }
    return new Digest(algorithm, encoded);
  }

  /**
   * Returns whether ocipin can compute this digest's algorithm (sha256, sha512), and so verify
   * content against it.
   */
  public boolean isSupported() {
    return expectedLength(algorithm) >= 0;
  }

  /** Returns the sha256 digest of {@code bytes}. */
  public static Digest sha256(byte[] bytes) {
    return of(SHA256, bytes);
  }

  /** Returns the sha512 digest of {@code bytes}. */
  public static Digest sha512(byte[] bytes) {
    return of(SHA512, bytes);
  }

  /**
   * Returns the digest of {@code bytes} with {@code algorithm}.
   *
   * @throws IllegalArgumentException when the algorithm is not sha256 or sha512
   */
  public static Digest of(String algorithm, byte[] bytes) {
    Hasher hasher = hasher(algorithm);
    hasher.update(bytes, 0, bytes.length);
    return hasher.digest();
  }

  /**
   * Starts an incremental digest computation.
   *
   * @throws IllegalArgumentException when the algorithm is not sha256 or sha512
   */
  public static Hasher hasher(String algorithm) {
    if (expectedLength(algorithm) < 0) {
      throw new IllegalArgumentException(
          "unsupported digest algorithm " + algorithm + " (use sha256 or sha512)");
    }
    return new Hasher(algorithm);
  }

  private static int expectedLength(String algorithm) {
    switch (algorithm) {
      case SHA256:
        return 64;
      case SHA512:
        return 128;
      default:
        return -1;
    }
  }

  /**
   * Returns the algorithm: {@code sha256} or {@code sha512}, or another one for a digest from
   * {@link #parseLenient}.
   */
  public String algorithm() {
    return algorithm;
  }

  /** Returns the part after the colon: lowercase hex for sha256 and sha512. */
  public String encoded() {
    return encoded;
  }

  /**
   * Returns whether {@code bytes} hash to this digest, with this digest's algorithm.
   *
   * @throws IllegalArgumentException when the algorithm is not supported
   */
  public boolean matches(byte[] bytes) {
    return equals(of(algorithm, bytes));
  }

  /** Returns {@code algorithm:encoded}. */
  @Override
  public String toString() {
    return algorithm + ':' + encoded;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Digest
        && ((Digest) o).algorithm.equals(algorithm)
        && ((Digest) o).encoded.equals(encoded);
  }

  @Override
  public int hashCode() {
    return algorithm.hashCode() * 31 + encoded.hashCode();
  }

  /**
   * Computes a digest incrementally. A hasher is not thread-safe, and is used once: after {@link
   * #digest()} it must not be updated.
   */
  public static final class Hasher {
    private final String algorithm;
    private final MessageDigest md;
    private long size;

    private Hasher(String algorithm) {
      this.algorithm = algorithm;
      try {
        this.md = MessageDigest.getInstance(algorithm.equals(SHA256) ? "SHA-256" : "SHA-512");
      } catch (NoSuchAlgorithmException e) {
        // Every Java platform must provide SHA-256 and SHA-512 (MessageDigest Javadoc).
        throw new IllegalStateException(e);
      }
    }

    /** Adds {@code len} bytes of {@code bytes}, from {@code off}, to the digest. */
    public void update(byte[] bytes, int off, int len) {
      md.update(bytes, off, len);
      size += len;
    }

    /** Returns the number of bytes added so far. */
    public long size() {
      return size;
    }

    /** Finishes the computation and returns the digest of everything added. */
    public Digest digest() {
      return new Digest(algorithm, HexFormat.of().formatHex(md.digest()));
    }
  }
}
