package dev.ocipin.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.Digest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DigestVerifierTest {
  private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);
  private static final Digest SHA256 = Digest.sha256(BODY);
  private static final Digest SHA512 = Digest.sha512(BODY);
  private static final Digest OTHER = Digest.sha256("x".getBytes(StandardCharsets.UTF_8));

  @Test
  void matchingDigests_ofEitherAlgorithm_pass() throws Exception {
    DigestVerifier.verify("GET m", BODY, Optional.of(SHA512), Optional.of(SHA256));
    DigestVerifier.verify("GET m", BODY, Optional.empty(), Optional.empty());
  }

  @Test
  void claimedMismatch_namesBoth() {
    DigestMismatchException e =
        assertThrows(
            DigestMismatchException.class,
            () -> DigestVerifier.verify("GET m", BODY, Optional.of(OTHER), Optional.empty()));
    assertEquals(
        "GET m: Docker-Content-Digest says " + OTHER + " but the body hashes to " + SHA256,
        e.getMessage());
  }

  @Test
  void askedMismatch_namesBoth() {
    DigestMismatchException e =
        assertThrows(
            DigestMismatchException.class,
            () -> DigestVerifier.verify("GET m", BODY, Optional.empty(), Optional.of(OTHER)));
    assertTrue(e.getMessage().contains("asked for " + OTHER), e.getMessage());
  }

  @Test
  void unsupportedAlgorithm_isATypedErrorNotAPass() {
    Digest blake3 = Digest.parseLenient("blake3:" + "ab".repeat(32));
    RegistryException e =
        assertThrows(
            RegistryException.class,
            () -> DigestVerifier.verify("GET blob", BODY, Optional.empty(), Optional.of(blake3)));
    assertTrue(e.getMessage().contains("cannot verify blake3:"), e.getMessage());
  }

  @Test
  void algorithm_followsTheReferenceThenTheRegistry() {
    assertEquals("sha512", DigestVerifier.algorithmFor(Optional.of(SHA512), Optional.of(SHA256)));
    assertEquals("sha512", DigestVerifier.algorithmFor(Optional.empty(), Optional.of(SHA512)));
    assertEquals("sha256", DigestVerifier.algorithmFor(Optional.empty(), Optional.empty()));
  }

  @Test
  void headClaim_mustBeTheDigestAskedFor() throws Exception {
    DigestVerifier.verifyClaim("HEAD m", SHA256, Optional.of(SHA256));
    DigestVerifier.verifyClaim("HEAD m", SHA256, Optional.empty());
    assertThrows(
        DigestMismatchException.class,
        () -> DigestVerifier.verifyClaim("HEAD m", SHA256, Optional.of(OTHER)));
  }
}
