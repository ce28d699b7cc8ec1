package dev.ocipin.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.Digest;
import dev.ocipin.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestsTest {
  private static final Map<String, Digest> KNOWN = new HashMap<>();

  /** Loads the digests that sha256sum computed for each fixture (SHA256SUMS). */
  @BeforeAll
  static void loadKnownDigests() {
    String sums = new String(fixture("SHA256SUMS"), StandardCharsets.UTF_8);
    for (String line : sums.split("\n")) {
      String[] parts = line.trim().split("\\s+");
      KNOWN.put(parts[1], Digest.parse("sha256:" + parts[0]));
    }
  }

  static byte[] fixture(String name) {
    try (InputStream in = ManifestsTest.class.getResourceAsStream("/manifests/" + name)) {
      if (in == null) {
        throw new IllegalStateException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ParsedManifest parse(String name, String contentType) throws Exception {
    ParsedManifest parsed = Manifests.parse(fixture(name), contentType);
    assertEquals(KNOWN.get(name), parsed.digest(), "digest of " + name);
    return parsed;
  }

  @Test
  void dockerHubIndex_sixteenEntries_eightImagesEightAttestations() throws Exception {
    ParsedManifest parsed =
        parse("dockerhub-ruby-index.json", "application/vnd.oci.image.index.v1+json");
    assertTrue(parsed.isIndex());
    assertEquals(MediaType.OCI_INDEX, parsed.mediaType());
    ImageIndex index = (ImageIndex) parsed.manifest();
    assertEquals(16, index.manifests().size());
    assertEquals(8, index.images().size());
    assertEquals(8, index.attestations().size());
    // Docker Hub's official images: an OCI index listing Docker schema 2 manifests.
    assertTrue(
        index.images().stream().allMatch(d -> d.mediaType().equals(MediaType.DOCKER_MANIFEST)));
    Descriptor firstAttestation = index.attestations().get(0);
    assertEquals(Optional.of(index.images().get(0).digest()), firstAttestation.attestedDigest());
    assertEquals(Platform.of("unknown", "unknown"), firstAttestation.platform().get());
    assertEquals(fixture("dockerhub-ruby-index.json").length, parsed.size());
  }

  @ParameterizedTest(name = "{0} selects {1}")
  @CsvSource({
    "linux/amd64, linux/amd64",
    "linux/arm64, linux/arm64/v8",
    "linux/arm/v7, linux/arm/v7",
    "linux/arm/v6, linux/arm/v5",
    "linux/386, linux/386",
    "linux/s390x, linux/s390x",
  })
  void select_picksWhatDockerPullWould(String want, String expected) throws Exception {
    ImageIndex index = (ImageIndex) parse("dockerhub-ruby-index.json", null).manifest();
    Descriptor chosen = index.select(Platform.parse(want)).orElseThrow();
    assertEquals(expected, chosen.platform().get().toString());
    assertFalse(chosen.isAttestation());
  }

  @Test
  void select_noMatch_isEmpty() throws Exception {
    ImageIndex index = (ImageIndex) parse("dockerhub-ruby-index.json", null).manifest();
    assertEquals(Optional.empty(), index.select(Platform.parse("linux/riscv64")));
    assertEquals(Optional.empty(), index.select(Platform.parse("windows/amd64")));
    // Exact selection refuses the arm/v5 fallback that compatible selection takes for arm/v6.
    assertEquals(Optional.empty(), index.selectExact(Platform.parse("linux/arm/v6")));
  }

  @Test
  void dockerManifestList_parsesWithItsContentType() throws Exception {
    ParsedManifest parsed =
        parse(
            "docker-manifest-list.json",
            "application/vnd.docker.distribution.manifest.list.v2+json; charset=utf-8");
    assertEquals(MediaType.DOCKER_MANIFEST_LIST, parsed.mediaType());
    ImageIndex index = (ImageIndex) parsed.manifest();
    assertEquals(3, index.images().size());
    assertEquals(0, index.attestations().size());
    assertEquals(
        "linux/arm/v6",
        index.select(Platform.parse("linux/arm/v7")).get().platform().get().toString());
  }

  @Test
  void ociArtifact_keepsArtifactTypeSubjectAndData_ignoresUnknownFields() throws Exception {
    ParsedManifest parsed = parse("oci-artifact-manifest.json", "application/json");
    ImageManifest m = assertInstanceOf(ImageManifest.class, parsed.manifest());
    assertEquals(Optional.of("application/vnd.example.sbom.v1"), m.artifactType());
    assertEquals(MediaType.OCI_INDEX, m.subject().get().mediaType());
    assertEquals(9876, m.subject().get().size());
    assertEquals(MediaType.OCI_EMPTY, m.config().mediaType());
    assertEquals(Optional.of("e30="), m.config().data());
    byte[] data = m.config().decodedData().orElseThrow();
    assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), data);
    assertTrue(m.config().digest().matches(data), "embedded data matches its digest");
    assertEquals(
        "sbom.spdx.json", m.layers().get(0).annotations().get("org.opencontainers.image.title"));
  }

  @Test
  void windowsIndex_keepsOsVersion_andSelectsByBuild() throws Exception {
    ImageIndex index =
        (ImageIndex)
            parse("windows-index.json", "application/vnd.docker.distribution.manifest.list.v2+json")
                .manifest();
    Descriptor ltsc2019 = index.manifests().get(0);
    assertEquals(Optional.of("10.0.17763.5830"), ltsc2019.platform().get().osVersion());
    assertEquals(
        ltsc2019.digest(),
        index.select(Platform.parse("windows(10.0.17763)/amd64")).get().digest());
    assertEquals(
        index.manifests().get(1).digest(),
        index.select(Platform.parse("windows(10.0.20348)/amd64")).get().digest());
    assertEquals(
        index.manifests().get(2).digest(),
        index.select(Platform.parse("linux/amd64")).get().digest());
  }

  @Test
  void dockerV2Manifest_configAndLayers() throws Exception {
    ParsedManifest parsed =
        parse("docker-v2-manifest.json", "application/vnd.docker.distribution.manifest.v2+json");
    ImageManifest m = (ImageManifest) parsed.manifest();
    assertEquals(MediaType.DOCKER_CONFIG, m.config().mediaType());
    assertEquals(2, m.layers().size());
    assertEquals(MediaType.DOCKER_LAYER_GZIP, m.layers().get(1).mediaType());
  }

  @Test
  void schema1_isUnsupportedWithAHint() {
    UnsupportedManifestException e =
        assertThrows(
            UnsupportedManifestException.class,
            () ->
                Manifests.parse(
                    fixture("schema1-signed.json"),
                    "application/vnd.docker.distribution.manifest.v1+prettyjws"));
    assertTrue(e.getMessage().contains("schema 1"), e.getMessage());
    assertTrue(e.getMessage().contains("deprecated"), e.getMessage());
    // Also without a Content-Type: schemaVersion 1 is enough.
    assertThrows(
        UnsupportedManifestException.class,
        () -> Manifests.parse(fixture("schema1-signed.json"), null));
  }

  @Test
  void mediaTypeContradictingContentType_isRejected() {
    InvalidManifestException e =
        assertThrows(
            InvalidManifestException.class,
            () ->
                Manifests.parse(
                    fixture("docker-manifest-list.json"),
                    "application/vnd.oci.image.index.v1+json"));
    assertTrue(e.getMessage().contains("contradicts the Content-Type"), e.getMessage());
  }

  static Stream<Arguments> invalidBodies() {
    return Stream.of(
        Arguments.of("{\"schemaVersion\":2,\"manifests\":[", "not valid JSON at line 1"),
        Arguments.of("{\"schemaVersion\":2,\n\"manifests\":[}]", "at line 2, column"),
        Arguments.of("<html><body>502 Bad Gateway</body></html>", "looks like HTML"),
        Arguments.of("[]", "must be a JSON object"),
        Arguments.of("", "is empty"),
        Arguments.of("{\"manifests\":[]}", "no schemaVersion"),
        Arguments.of("{\"schemaVersion\":3,\"manifests\":[]}", "schemaVersion is 3"),
        Arguments.of("{\"schemaVersion\":\"2\",\"manifests\":[]}", "schemaVersion is \"2\""),
        Arguments.of(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\"}",
            "no manifests array"),
        Arguments.of(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"layers\":[]}",
            "no config"),
        Arguments.of(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.example.thing\"}",
            "unsupported manifest media type"),
        Arguments.of(
            "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"x\",\"size\":1}]}",
            "manifests[0].digest is missing"),
        Arguments.of(
            "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"sha256:abc\",\"size\":1}]}",
            "manifests[0].digest: invalid digest length"),
        Arguments.of(
            "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":-1}]}",
            "manifests[0].size must be a non-negative integer"),
        Arguments.of(
            "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":1,\"platform\":{\"os\":\"linux\"}}]}",
            "manifests[0].platform.architecture is missing"),
        Arguments.of(
            "{\"schemaVersion\":2,\"schemaVersion\":2,\"manifests\":[]}", "Duplicate field"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("invalidBodies")
  void invalidBodies_typedErrorNamingTheFault(String body, String expected) {
    InvalidManifestException e =
        assertThrows(
            InvalidManifestException.class,
            () -> Manifests.parse(body.getBytes(StandardCharsets.UTF_8), null));
    assertTrue(e.getMessage().contains(expected), () -> e.getMessage() + " lacks " + expected);
    assertFalse(e.getMessage().contains("com.fasterxml"), e.getMessage());
  }

  @Test
  void unknownMediaType_withIndexShape_isKept() throws Exception {
    byte[] body =
        ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.example.index+json\","
                + "\"manifests\":[]}")
            .getBytes(StandardCharsets.UTF_8);
    ParsedManifest parsed = Manifests.parse(body, null);
    assertEquals(MediaType.of("application/vnd.example.index+json"), parsed.mediaType());
    assertTrue(parsed.isIndex());
  }

  @Test
  void toJson_roundTripsTheModel() throws Exception {
    for (String name :
        List.of(
            "dockerhub-ruby-index.json",
            "docker-manifest-list.json",
            "oci-artifact-manifest.json",
            "windows-index.json",
            "docker-v2-manifest.json")) {
      Manifest original = Manifests.parse(fixture(name), null).manifest();
      byte[] written = Manifests.toJson(original);
      ParsedManifest reread = Manifests.parse(written, null);
      assertEquals(original, reread.manifest(), name);
      assertEquals(Digest.sha256(written), reread.digest());
    }
  }

  @Test
  void builder_buildsAnIndexThatSerializes() throws Exception {
    Descriptor amd64 =
        Descriptor.builder()
            .mediaType(MediaType.OCI_MANIFEST)
            .digest(Digest.sha256(new byte[] {1}))
            .size(1)
            .platform(Platform.of("linux", "amd64"))
            .build();
    ImageIndex index =
        ImageIndex.builder().mediaType(MediaType.OCI_INDEX).addManifests(amd64).build();
    String json = new String(Manifests.toJson(index), StandardCharsets.UTF_8);
    assertEquals(
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
            + "\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"digest\":\""
            + amd64.digest()
            + "\",\"size\":1,\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}",
        json);
  }

  @Test
  void mediaType_ignoresParametersAndCase() {
    assertEquals(
        MediaType.OCI_INDEX,
        MediaType.of(" Application/VND.oci.image.index.v1+json ; charset=utf-8"));
    assertTrue(MediaType.DOCKER_MANIFEST_LIST.isIndex());
    assertTrue(MediaType.DOCKER_MANIFEST.isManifest());
    assertFalse(MediaType.OCI_CONFIG.isIndex());
    assertEquals("application/x-unknown", MediaType.of("application/x-unknown").toString());
  }
}
