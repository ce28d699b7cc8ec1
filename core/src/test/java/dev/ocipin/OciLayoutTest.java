package dev.ocipin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.auth.CredentialChain;
import dev.ocipin.it.Fixtures;
import dev.ocipin.it.LayoutWriter;
import dev.ocipin.model.InvalidManifestException;
import dev.ocipin.registry.DigestMismatchException;
import dev.ocipin.registry.ManifestNotFoundException;
import dev.ocipin.registry.RegistryException;
import dev.ocipin.registry.RequestEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OCI image layouts as a source: references of the form {@code oci-layout://PATH[:TAG][@DIGEST]}, a
 * layout standing in for a registry (a mirror) or for every registry (a source), and hostile
 * layouts, each refused with a message that names the file.
 */
class OciLayoutTest {
  @TempDir Path dir;
  private Path layout;
  private Fixtures.Pushed ruby;
  private Fixtures.Pushed app;
  private final List<RequestEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void write() throws Exception {
    LayoutWriter w = new LayoutWriter(dir.resolve("layout"), "docker.io");
    ruby = Fixtures.dockerHubIndex(w, "library/ruby", "3.3.0-slim", "one");
    app = Fixtures.singleManifest(w, "team/app", "1.0", "amd64");
    layout = w.finish();
  }

  private DigestResolver.Builder builder() {
    return DigestResolver.builder().credentials(CredentialChain.of()).listener(events::add);
  }

  private String ref(String suffix) {
    return "oci-layout://" + layout + suffix;
  }

  @Test
  void layoutReference_byTag_resolvesLikeARegistry() throws Exception {
    try (DigestResolver r = builder().build()) {
      ResolvedIndex idx = r.resolveIndex(ref(":3.3.0-slim"));
      assertEquals(ruby.index(), idx.digest());
      assertEquals(8, idx.images().size());
      assertEquals(8, idx.attestations().size());
      assertEquals(ref(":3.3.0-slim@" + ruby.index()), idx.pinned().toString());
      assertEquals(ruby.index(), r.digest(ref(":3.3.0-slim")));
      assertEquals(
          ruby.children().get("linux/arm64/v8"),
          r.resolve(ref(":3.3.0-slim"), Platform.parse("linux/arm64")).digest());
      // A single-platform image: its config blob is read to check the platform.
      assertEquals(app.index(), r.resolve(ref(":1.0"), Platform.parse("linux/amd64")).digest());
      // By digest: an index.json entry, and a child that only blobs/ holds.
      assertEquals(ruby.index(), r.digest(ref("@" + ruby.index())));
      Digest child = ruby.children().get("linux/amd64");
      assertEquals(child, r.resolveIndex(ref("@" + child)).digest());
    }
    assertEquals(List.of(), events, "no request was sent");
  }

  @Test
  void layoutReference_shortRefNames_andTheOnlyImageWithoutATag() throws Exception {
    Path solo = dir.resolve("solo");
    LayoutWriter w = new LayoutWriter(solo, "docker.io");
    Fixtures.Pushed only = Fixtures.dockerHubIndex(w, "library/ruby", "3.3", "x");
    w.finish();
    String indexJson = Files.readString(solo.resolve("index.json"));
    // skopeo's oci:DIR:TAG writes the bare tag as the ref name.
    Files.writeString(
        solo.resolve("index.json"), indexJson.replace("docker.io/library/ruby:3.3", "3.3"));
    try (DigestResolver r = builder().build()) {
      assertEquals(only.index(), r.digest("oci-layout://" + solo + ":3.3"));
      assertEquals(only.index(), r.digest("oci-layout://" + solo));
      ManifestNotFoundException several =
          assertThrows(ManifestNotFoundException.class, () -> r.digest(ref("")));
      assertTrue(
          several.getMessage().contains("the layout has several images; name one")
              && several.getMessage().contains("docker.io/library/ruby:3.3.0-slim")
              && several.getMessage().contains("docker.io/team/app:1.0"),
          several.getMessage());
      ManifestNotFoundException missing =
          assertThrows(ManifestNotFoundException.class, () -> r.digest(ref(":3.4")));
      assertTrue(
          missing.getMessage().contains("not found in " + layout.resolve("index.json")),
          missing.getMessage());
    }
  }

  @Test
  void layoutSource_answersEveryRegistry_withNoNetwork() throws Exception {
    try (DigestResolver r = builder().layoutSource("oci-layout://" + layout).build()) {
      assertEquals(ruby.index(), r.resolveIndex("ruby:3.3.0-slim").digest());
      assertEquals(
          "docker.io/library/ruby:3.3.0-slim@" + ruby.index(),
          r.resolveIndex("ruby:3.3.0-slim").pinned().toString());
      assertEquals(app.index(), r.digest("docker.io/team/app:1.0"));
      assertThrows(ManifestNotFoundException.class, () -> r.digest("ruby:3.4"));
      assertThrows(ManifestNotFoundException.class, () -> r.digest("ghcr.io/team/app:1.0"));
      List<ResolveResult> all =
          r.resolveAll(List.of("ruby:3.3.0-slim", "team/app:1.0", "ruby:missing"));
      assertTrue(all.get(0).isSuccess() && all.get(1).isSuccess() && !all.get(2).isSuccess());
    }
    assertEquals(List.of(), events, "no request was sent");
  }

  @Test
  void layoutMirror_forOneRegistry_fallsBackOnlyWhenAsked() throws Exception {
    try (MockRegistry registry = new MockRegistry()) {
      String host = registry.host();
      LayoutWriter w = new LayoutWriter(dir.resolve("mirror"), host);
      Fixtures.Pushed mirrored = Fixtures.dockerHubIndex(w, "team/base", "1", "m");
      Path mirror = w.finish();
      try (DigestResolver r =
          builder().insecureRegistry(host).mirror(host, "oci-layout://" + mirror).build()) {
        assertEquals(mirrored.index(), r.digest(host + "/team/base:1"));
        assertThrows(ManifestNotFoundException.class, () -> r.digest(host + "/team/other:1"));
      }
      assertEquals(0, registry.server.getRequestCount(), "air-gapped: the registry was not asked");

      byte[] index = MockRegistry.fixture("dockerhub-ruby-index.json");
      registry.enqueue(MockRegistry.head(index, Fixtures.OCI_INDEX));
      try (DigestResolver r =
          builder()
              .insecureRegistry(host)
              .mirror(host, "oci-layout://" + mirror)
              .fallBackFromLayouts()
              .build()) {
        assertEquals(mirrored.index(), r.digest(host + "/team/base:1"));
        assertEquals(Digest.sha256(index), r.digest(host + "/team/other:1"));
      }
      assertEquals(1, registry.server.getRequestCount(), "only the missing image went out");
      assertEquals("/v2/team/other/manifests/1", registry.take().getTarget());
    }
  }

  @Test
  void blobWhoseBytesDoNotMatchItsName_isADigestMismatchNamingTheFile() throws Exception {
    Path blob = blobFile(ruby.index());
    Files.write(
        blob,
        Files.readString(blob).replace("\"amd64\"", "\"AMD64\"").getBytes(StandardCharsets.UTF_8));
    try (DigestResolver r = builder().build()) {
      DigestMismatchException e =
          assertThrows(DigestMismatchException.class, () -> r.resolveIndex(ref(":3.3.0-slim")));
      assertTrue(e.getMessage().startsWith(blob.toString()), e.getMessage());
      assertEquals(ruby.index(), e.expected());
    }
  }

  @Test
  void missingBlob_namesTheFile() throws Exception {
    Digest child = ruby.children().get("linux/arm64/v8");
    Files.delete(blobFile(child));
    try (DigestResolver r = builder().build()) {
      // As with a registry, choosing a platform reads the index, not the child...
      assertEquals(child, r.resolve(ref(":3.3.0-slim"), Platform.parse("linux/arm64")).digest());
      // ...and reading the child names the file that is missing.
      assertEquals(
          "blob " + child + " is missing from the layout: " + blobFile(child) + " does not exist",
          assertThrows(ManifestNotFoundException.class, () -> r.resolveIndex(ref("@" + child)))
              .getMessage());
    }
  }

  @Test
  void symlinkLeavingTheLayout_isRefused() throws Exception {
    Path blob = blobFile(ruby.index());
    Path outside = Files.write(dir.resolve("outside.json"), Files.readAllBytes(blob));
    Files.delete(blob);
    Files.createSymbolicLink(blob, outside);
    try (DigestResolver r = builder().build()) {
      RegistryException e =
          assertThrows(RegistryException.class, () -> r.resolveIndex(ref(":3.3.0-slim")));
      assertTrue(
          e.getMessage()
              .contains(" leads outside the layout (a symlink to " + outside.toRealPath()),
          e.getMessage());
    }
  }

  @Test
  void malformedOrForeignLayouts_sayWhatIsWrong() throws Exception {
    try (DigestResolver r = builder().build()) {
      Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{]}");
      InvalidManifestException bad =
          assertThrows(InvalidManifestException.class, () -> r.digest(ref(":3.3.0-slim")));
      assertTrue(
          bad.getMessage().startsWith(layout.resolve("index.json") + " is not an OCI image index"),
          bad.getMessage());

      Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"2.0.0\"}");
      assertEquals(
          layout.resolve("oci-layout")
              + " says imageLayoutVersion \"2.0.0\"; ocipin reads version 1.0.0 layouts",
          assertThrows(RegistryException.class, () -> r.digest(ref(":3.3.0-slim"))).getMessage());

      Files.delete(layout.resolve("oci-layout"));
      assertTrue(
          assertThrows(RegistryException.class, () -> r.digest(ref(":3.3.0-slim")))
              .getMessage()
              .startsWith(
                  layout
                      + " is not an OCI image layout: "
                      + layout.resolve("oci-layout")
                      + " is missing"));

      assertThrows(
          ManifestNotFoundException.class,
          () -> r.digest("oci-layout://" + dir.resolve("nowhere") + ":1"));
    }
  }

  @Test
  void descriptorSizeThatDisagreesWithTheFile_isInvalid() throws Exception {
    String indexJson = Files.readString(layout.resolve("index.json"));
    Files.writeString(
        layout.resolve("index.json"),
        indexJson.replace(
            "\"size\":" + ruby.indexBytes().length, "\"size\":" + (ruby.indexBytes().length + 1)));
    try (DigestResolver r = builder().build()) {
      InvalidManifestException e =
          assertThrows(InvalidManifestException.class, () -> r.digest(ref(":3.3.0-slim")));
      assertTrue(
          e.getMessage().contains("but its descriptor says " + (ruby.indexBytes().length + 1)),
          e.getMessage());
    }
  }

  @Test
  void layoutReferences_parse() {
    ImageReference r =
        ImageReference.parse("oci-layout://./images/ruby:3.3@sha256:" + "a".repeat(64));
    assertTrue(r.isLayout());
    assertEquals("./images/ruby", r.layoutPath().orElseThrow());
    assertEquals("3.3", r.tag().orElseThrow());
    assertEquals("oci-layout://./images/ruby:3.3@sha256:" + "a".repeat(64), r.toString());
    ImageReference noTag = ImageReference.parse("oci-layout:///srv/layouts:v2/ruby");
    assertEquals("/srv/layouts:v2/ruby", noTag.layoutPath().orElseThrow());
    assertTrue(noTag.tag().isEmpty());
    assertFalse(ImageReference.parse("ruby:3.3").isLayout());
    assertThrows(InvalidReferenceException.class, () -> ImageReference.parse("oci-layout://"));
    assertThrows(
        InvalidReferenceException.class, () -> ImageReference.parse("oci-layout://d:-bad"));
  }

  private Path blobFile(Digest d) {
    return layout.resolve("blobs").resolve(d.algorithm()).resolve(d.encoded());
  }
}
