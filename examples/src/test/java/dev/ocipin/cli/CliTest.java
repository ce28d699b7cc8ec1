package dev.ocipin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocipin.Digest;
import dev.ocipin.Platform;
import dev.ocipin.TestCertificates;
import dev.ocipin.auth.Credential;
import dev.ocipin.auth.StaticCredentials;
import dev.ocipin.model.Descriptor;
import dev.ocipin.model.ImageIndex;
import dev.ocipin.model.Manifests;
import dev.ocipin.model.MediaType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  private final MockWebServer server = new MockWebServer();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private Descriptor amd64;
  private Descriptor arm64;
  private byte[] index;

  @BeforeEach
  void setUp() throws Exception {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    amd64 = image("amd", Platform.of("linux", "amd64"));
    arm64 = image("arm", Platform.of("linux", "arm64", "v8"));
    Descriptor attestation =
        Descriptor.builder()
            .mediaType(MediaType.OCI_MANIFEST)
            .digest(Digest.sha256("att".getBytes(StandardCharsets.UTF_8)))
            .size(840)
            .platform(Platform.of("unknown", "unknown"))
            .putAnnotations("vnd.docker.reference.type", "attestation-manifest")
            .putAnnotations("vnd.docker.reference.digest", amd64.digest().toString())
            .build();
    index =
        Manifests.toJson(
            ImageIndex.builder()
                .mediaType(MediaType.OCI_INDEX)
                .addManifests(amd64, arm64, attestation)
                .build());
  }

  private static Descriptor image(String seed, Platform p) {
    return Descriptor.builder()
        .mediaType(MediaType.DOCKER_MANIFEST)
        .digest(Digest.sha256(seed.getBytes(StandardCharsets.UTF_8)))
        .size(1935)
        .platform(p)
        .build();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  /** Runs the command line, with loopback named insecure; see {@link CliHarness}. */
  private int run(String... given) {
    String[] args = CliHarness.plainLoopback(given);
    return new Cli(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args);
  }

  private String ref() {
    return "127.0.0.1:" + server.getPort() + "/library/ruby:3.3.0-slim";
  }

  private void serveIndex() {
    server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", MediaType.OCI_INDEX.toString())
            .addHeader("Docker-Content-Digest", Digest.sha256(index).toString())
            .body(new Buffer().write(index))
            .build());
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void inspect_printsWhatManifestToolShows_andTheLineToPaste() {
    serveIndex();
    assertEquals(0, run("inspect", ref()));
    String o = stdout();
    assertTrue(
        o.startsWith("Name:   " + ref() + " (Type: application/vnd.oci.image.index.v1+json)\n"), o);
    assertTrue(o.contains("Digest: " + Digest.sha256(index) + "\n"), o);
    assertTrue(o.contains(" * Contains 3 manifest references (2 images, 1 attestations):"), o);
    assertTrue(o.contains("[2]   Digest: " + arm64.digest()), o);
    assertTrue(o.contains("[2]    -    Arch: arm64"), o);
    assertTrue(o.contains("[2]    - Variant: v8"), o);
    assertTrue(o.contains("[3]     Kind: attestation for " + amd64.digest()), o);
    assertTrue(o.endsWith("\nFROM " + ref() + "@" + Digest.sha256(index) + "\n"), o);
    assertEquals("", stderr());
  }

  @Test
  void caCert_trustsAPrivateCa_andWithoutItTheMessageSaysHow(@TempDir Path dir) throws Exception {
    TestCertificates ca = TestCertificates.authority("corp CA");
    server.useHttps(ca.serverSockets(ca.server("127.0.0.1")));
    server.setDispatcher(
        new mockwebserver3.Dispatcher() {
          @Override
          public MockResponse dispatch(mockwebserver3.RecordedRequest request) {
            return new MockResponse.Builder()
                .addHeader("Content-Type", MediaType.OCI_INDEX.toString())
                .addHeader("Docker-Content-Digest", Digest.sha256(index).toString())
                .setHeader("Content-Length", index.length)
                .build();
          }
        });
    Path pem = ca.writeCa(dir.resolve("corp-ca.pem"));
    // No --insecure-registry: a loopback registry that speaks TLS is reached over HTTPS.
    String[] digest = {"digest", ref()};
    assertEquals(2, runAsIs(digest));
    assertTrue(
        stderr().contains("sent a certificate from an issuer that is not trusted; to trust it,"),
        stderr());
    assertTrue(stderr().contains("--ca-cert FILE"), stderr());
    assertEquals(1, stderr().lines().count(), stderr());

    out.reset();
    err.reset();
    assertEquals(0, runAsIs("digest", "--ca-cert", pem.toString(), ref()));
    assertEquals(Digest.sha256(index) + "\n", stdout());
    assertTrue(server.takeRequest().getHandshake() != null, "over TLS");

    err.reset();
    Path missing = dir.resolve("missing.pem");
    assertEquals(2, runAsIs("digest", "--ca-cert", missing.toString(), ref()));
    assertTrue(stderr().startsWith("ocipin: cannot read CA file " + missing), stderr());
  }

  private int runAsIs(String... args) {
    return new Cli(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args);
  }

  @Test
  void inspect_json() throws Exception {
    serveIndex();
    assertEquals(0, run("inspect", ref(), "--json"));
    JsonNode n = new ObjectMapper().readTree(stdout());
    assertEquals(Digest.sha256(index).toString(), n.get("digest").asText());
    assertEquals(2, n.get("images").asInt());
    assertEquals(1, n.get("attestations").asInt());
    assertEquals("linux/arm64/v8", n.get("manifests").get(1).get("platform").asText());
    assertTrue(n.get("manifests").get(2).get("attestation").asBoolean());
  }

  @Test
  void digest_isOneHead() throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", MediaType.OCI_INDEX.toString())
            .addHeader("Docker-Content-Digest", Digest.sha256(index).toString())
            .addHeader("Content-Length", index.length)
            .build());
    assertEquals(0, run("digest", ref()));
    assertEquals(Digest.sha256(index) + "\n", stdout());
    assertEquals("HEAD", server.takeRequest().getMethod());
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void digest_platform_printsTheChild() throws Exception {
    serveIndex();
    assertEquals(0, run("digest", "--platform", "linux/arm64", ref(), "--json"));
    JsonNode n = new ObjectMapper().readTree(stdout());
    assertEquals(arm64.digest().toString(), n.get("digest").asText());
    assertEquals(Digest.sha256(index).toString(), n.get("indexDigest").asText());
    assertEquals(ref() + "@" + arm64.digest(), n.get("pinned").asText());
  }

  @Test
  void notFound_exitsOne_withOneLine() {
    server.enqueue(new MockResponse.Builder().code(404).build());
    assertEquals(1, run("inspect", ref()));
    assertEquals("", stdout());
    assertEquals(1, stderr().lines().count(), stderr());
    assertTrue(stderr().startsWith("ocipin: GET manifest " + ref() + ": not found"), stderr());
  }

  @Test
  void usageAndBadInput_exitTwo() {
    Map<String[], String> cases =
        Map.of(
            new String[] {},
            "usage: ocipin",
            new String[] {"frobnicate", "x"},
            "unknown command frobnicate",
            new String[] {"inspect"},
            "inspect takes exactly one image reference, got 0",
            new String[] {"inspect", "a", "b"},
            "takes exactly one image reference, got 2",
            new String[] {"inspect", "--bogus", "x"},
            "unknown option --bogus",
            new String[] {"digest", "x", "--platform"},
            "--platform needs a value",
            new String[] {"inspect", "Ghcr.io/OWNER/img"},
            "repository name must be lowercase: Ghcr.io/OWNER/img → OWNER");
    for (Map.Entry<String[], String> c : cases.entrySet()) {
      err.reset();
      assertEquals(2, run(c.getKey()), String.join(" ", c.getKey()));
      assertTrue(stderr().contains(c.getValue()), stderr());
    }
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void unreachableRegistry_exitsTwo() throws Exception {
    String ref = "127.0.0.1:" + server.getPort() + "/x:1";
    server.close();
    assertEquals(2, run("digest", ref));
    assertTrue(stderr().startsWith("ocipin: HEAD manifest " + ref + ": "), stderr());
    assertEquals(1, stderr().lines().count());
  }

  @Test
  void authenticationFailure_oneLine_neverTheSecret() {
    String secret = "cli-s3cret-passw0rd";
    server.enqueue(
        new MockResponse.Builder()
            .code(401)
            .addHeader("WWW-Authenticate", "Basic realm=\"r\"")
            .build());
    server.enqueue(
        new MockResponse.Builder()
            .code(401)
            .addHeader("WWW-Authenticate", "Basic realm=\"r\"")
            .build());
    int code =
        new Cli(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                StaticCredentials.of(
                    "127.0.0.1:" + server.getPort(), Credential.basic("bob", secret)))
            .run(new String[] {"digest", ref(), "--json"});
    assertEquals(2, code);
    assertEquals(1, stderr().lines().count(), stderr());
    assertTrue(stderr().contains("static credentials for 127.0.0.1:" + server.getPort()), stderr());
    assertTrue(!stdout().contains(secret) && !stderr().contains(secret));
  }

  @Test
  void help_exitsZero() {
    assertEquals(0, run("--help"));
    assertTrue(stdout().contains("exit codes"));
  }
}
