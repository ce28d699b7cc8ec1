package dev.ocipin;

import static dev.ocipin.MockRegistry.bearerChallenge;
import static dev.ocipin.MockRegistry.response;
import static dev.ocipin.MockRegistry.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.model.InvalidManifestException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Protocol details where registries and specs allow more than the common case: a token realm with a
 * fragment, nested indexes, sha512 registries, digests with algorithms ocipin cannot compute, and
 * JSON keys that differ only in case.
 */
class ProtocolDetailsTest {
  private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  private static final String AMD64 = Digest.sha256("amd64".getBytes()).toString();
  private static final String ARM64 = Digest.sha256("arm64".getBytes()).toString();

  private final MockRegistry registry = new MockRegistry();

  @AfterEach
  void close() {
    registry.close();
  }

  private String ruby() {
    return registry.host() + "/library/ruby:3.3.0-slim";
  }

  private static String entry(String mediaType, String digest, String platform) {
    String p =
        platform.isEmpty()
            ? ""
            : ",\"platform\":{\"architecture\":\""
                + platform.split("/")[1]
                + "\",\"os\":\""
                + platform.split("/")[0]
                + "\"}";
    return "{\"mediaType\":\""
        + mediaType
        + "\",\"digest\":\""
        + digest
        + "\",\"size\":100"
        + p
        + "}";
  }

  private static byte[] index(String... entries) {
    return ("{\"schemaVersion\":2,\"mediaType\":\""
            + OCI_INDEX
            + "\",\"manifests\":["
            + String.join(",", entries)
            + "]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static MockResponse serve(byte[] body, Digest named) {
    return response(200)
        .addHeader("Content-Type", OCI_INDEX)
        .addHeader("Docker-Content-Digest", named.toString())
        .body(new Buffer().write(body))
        .build();
  }

  @Test
  void realmWithFragment_serviceAndScopeStillReachTheTokenServer() throws Exception {
    byte[] idx = index(entry(OCI_MANIFEST, AMD64, "linux/amd64"));
    registry.enqueue(
        bearerChallenge(registry.realm() + "#section", "reg", "repository:library/ruby:pull"));
    registry.enqueue(token("t", 300));
    registry.enqueue(serve(idx, Digest.sha256(idx)));

    assertEquals(Digest.sha256(idx), TestResolvers.create().resolveIndex(ruby()).digest());
    registry.take();
    RecordedRequest tokenRequest = registry.take();
    assertEquals(
        "/token?service=reg&scope=repository%3Alibrary%2Fruby%3Apull", tokenRequest.getTarget());
    assertEquals(3, registry.server.getRequestCount());
  }

  @Test
  void nestedIndexWithPlatform_isFollowed() throws Exception {
    byte[] inner =
        index(entry(OCI_MANIFEST, AMD64, "linux/amd64"), entry(OCI_MANIFEST, ARM64, "linux/arm64"));
    byte[] top = index(entry(OCI_INDEX, Digest.sha256(inner).toString(), "linux/arm64"));
    registry.enqueue(serve(top, Digest.sha256(top)));
    registry.enqueue(serve(inner, Digest.sha256(inner)));

    ResolvedManifest m = TestResolvers.create().resolve(ruby(), Platform.parse("linux/arm64"));
    assertEquals(ARM64, m.digest().toString());
    assertEquals(Digest.sha256(top), m.indexDigest().orElseThrow());
    assertEquals("/v2/library/ruby/manifests/3.3.0-slim", registry.take().getTarget());
    assertEquals("/v2/library/ruby/manifests/" + Digest.sha256(inner), registry.take().getTarget());
    assertEquals(2, registry.server.getRequestCount());
  }

  @Test
  void nestedIndexWithoutPlatform_isSearched_afterTheImagesOfTheTopIndex() throws Exception {
    byte[] inner = index(entry(OCI_MANIFEST, ARM64, "linux/arm64"));
    byte[] top =
        index(
            entry(OCI_MANIFEST, AMD64, "linux/amd64"),
            entry(OCI_INDEX, Digest.sha256(inner).toString(), ""));
    registry.enqueue(serve(top, Digest.sha256(top)));
    registry.enqueue(serve(inner, Digest.sha256(inner)));
    DigestResolver resolver = TestResolvers.create();

    assertEquals(
        ARM64, resolver.resolve(ruby(), Platform.parse("linux/arm64")).digest().toString());
    assertEquals(2, registry.server.getRequestCount());
    // amd64 is in the top index: no nested fetch (the top index is cached and confirmed by HEAD).
    registry.enqueue(MockRegistry.head(top, OCI_INDEX));
    assertEquals(
        AMD64, resolver.resolve(ruby(), Platform.parse("linux/amd64")).digest().toString());
    assertEquals(3, registry.server.getRequestCount());
  }

  @Test
  void nestedIndexes_tooDeep_isATypedError() {
    byte[] level = index(entry(OCI_MANIFEST, AMD64, "linux/amd64"));
    Digest d = Digest.sha256(level);
    byte[][] levels = new byte[6][];
    levels[5] = level;
    for (int i = 4; i >= 0; i--) {
      levels[i] = index(entry(OCI_INDEX, Digest.sha256(levels[i + 1]).toString(), "linux/arm64"));
    }
    for (byte[] l : levels) {
      registry.enqueue(serve(l, Digest.sha256(l)));
    }
    InvalidManifestException e =
        assertThrows(
            InvalidManifestException.class,
            () -> TestResolvers.create().resolve(ruby(), Platform.parse("linux/arm64")));
    assertTrue(e.getMessage().contains("nested more than 4 deep"), e.getMessage() + d);
    assertEquals(4, registry.server.getRequestCount());
  }

  @Test
  void sha512Registry_digestAndResolveIndexAgree() throws Exception {
    byte[] idx = index(entry(OCI_MANIFEST, AMD64, "linux/amd64"));
    Digest named = Digest.sha512(idx);
    registry.enqueue(
        response(200)
            .addHeader("Content-Type", OCI_INDEX)
            .addHeader("Docker-Content-Digest", named.toString())
            .addHeader("Content-Length", idx.length)
            .build());
    registry.enqueue(serve(idx, named));
    DigestResolver resolver = TestResolvers.create();

    assertEquals(named, resolver.digest(ruby()));
    ResolvedIndex resolved = resolver.resolveIndex(ruby());
    assertEquals(named, resolved.digest());
    assertTrue(resolved.pinned().toString().endsWith("@" + named), resolved.pinned().toString());
    assertEquals(2, registry.server.getRequestCount());
  }

  @Test
  void sha512Reference_isVerifiedAndNamedBySha512() throws Exception {
    byte[] idx = index(entry(OCI_MANIFEST, AMD64, "linux/amd64"));
    Digest named = Digest.sha512(idx);
    registry.enqueue(serve(idx, Digest.sha256(idx))); // the registry itself names it by sha256
    ResolvedIndex resolved =
        TestResolvers.create().resolveIndex(registry.host() + "/library/ruby@" + named);
    assertEquals(named, resolved.digest());
    assertEquals(1, registry.server.getRequestCount());
  }

  @Test
  void unknownAlgorithmInOneEntry_onlyThatEntryIsUnusable() throws Exception {
    String blake3 = "blake3:" + "ab".repeat(32);
    byte[] idx =
        index(
            entry(OCI_MANIFEST, blake3, "linux/amd64"), entry(OCI_MANIFEST, ARM64, "linux/arm64"));
    registry.enqueue(serve(idx, Digest.sha256(idx)));
    DigestResolver resolver = TestResolvers.create();

    ResolvedIndex resolved = resolver.resolveIndex(ruby());
    assertEquals(Digest.sha256(idx), resolved.digest());
    assertEquals(2, resolved.images().size());
    assertFalse(resolved.images().get(0).digest().isSupported());
    assertEquals(blake3, resolved.images().get(0).digest().toString());

    registry.enqueue(MockRegistry.head(idx, OCI_INDEX));
    assertEquals(
        ARM64, resolver.resolve(ruby(), Platform.parse("linux/arm64")).digest().toString());
    registry.enqueue(MockRegistry.head(idx, OCI_INDEX));
    NoMatchingPlatformException e =
        assertThrows(
            NoMatchingPlatformException.class,
            () -> resolver.resolve(ruby(), Platform.parse("linux/amd64")));
    assertTrue(e.getMessage().contains("linux/amd64"), e.getMessage());
    assertEquals(3, registry.server.getRequestCount());
  }

  @Test
  void keysDifferingOnlyInCase_areAmbiguous() {
    String twoDigests =
        "{\"mediaType\":\""
            + OCI_MANIFEST
            + "\",\"digest\":\""
            + AMD64
            + "\",\"Digest\":\""
            + ARM64
            + "\",\"size\":1,\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}";
    byte[] idx = index(twoDigests);
    registry.enqueue(serve(idx, Digest.sha256(idx)));
    InvalidManifestException e =
        assertThrows(
            InvalidManifestException.class, () -> TestResolvers.create().resolveIndex(ruby()));
    assertTrue(
        e.getMessage().contains("\"digest\" and \"Digest\", which differ only in case"),
        e.getMessage());
    assertEquals(1, registry.server.getRequestCount());
  }

  @Test
  void lenientDigests_keepStrictParsingForUsers() {
    assertThrows(InvalidReferenceException.class, () -> Digest.parse("blake3:" + "ab".repeat(32)));
    assertFalse(Digest.parseLenient("blake3:" + "ab".repeat(32)).isSupported());
    assertTrue(Digest.parseLenient(AMD64).isSupported());
    for (String bad : List.of("Blake3:ab", "blake3:", "blake3:a b", "sha256:abc")) {
      assertThrows(InvalidReferenceException.class, () -> Digest.parseLenient(bad), bad);
    }
  }
}
