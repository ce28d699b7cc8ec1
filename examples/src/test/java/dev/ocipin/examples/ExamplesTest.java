package dev.ocipin.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.Digest;
import dev.ocipin.DigestResolver;
import dev.ocipin.Platform;
import dev.ocipin.auth.Credential;
import dev.ocipin.auth.CredentialChain;
import dev.ocipin.model.Descriptor;
import dev.ocipin.model.ImageIndex;
import dev.ocipin.model.Manifests;
import dev.ocipin.model.MediaType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example programs do what their documentation says, against a registry on loopback. */
class ExamplesTest {
  private final MockWebServer server = new MockWebServer();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private byte[] index;
  @TempDir Path dir;

  @BeforeEach
  void start() throws Exception {
    index =
        Manifests.toJson(
            ImageIndex.builder()
                .mediaType(MediaType.OCI_INDEX)
                .addManifests(
                    Descriptor.builder()
                        .mediaType(MediaType.DOCKER_MANIFEST)
                        .digest(Digest.sha256("amd".getBytes(StandardCharsets.UTF_8)))
                        .size(1935)
                        .platform(Platform.of("linux", "amd64"))
                        .build())
                .build());
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            MockResponse.Builder b =
                new MockResponse.Builder()
                    .code(200)
                    .addHeader("Content-Type", MediaType.OCI_INDEX.toString())
                    .addHeader("Docker-Content-Digest", Digest.sha256(index).toString());
            return request.getMethod().equals("HEAD")
                ? b.addHeader("Content-Length", index.length).build()
                : b.body(new Buffer().write(index)).build();
          }
        });
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String ruby() {
    return "127.0.0.1:" + server.getPort() + "/library/ruby:3.3.0-slim";
  }

  private DigestResolver resolver() {
    return dev.ocipin.TestResolvers.plainHttp().credentials(CredentialChain.of()).build();
  }

  private PrintStream printer() {
    return new PrintStream(out, true, StandardCharsets.UTF_8);
  }

  @Test
  void resolveTag_printsThePinnedReferenceAndPlatforms() throws Exception {
    ResolveTag.run(ruby(), resolver(), printer());
    String o = out.toString(StandardCharsets.UTF_8);
    assertTrue(o.startsWith(ruby() + "@" + Digest.sha256(index) + "\n"), o);
    assertTrue(o.contains("  linux/amd64 sha256:"), o);
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void pinAllPlatforms_pinsToTheIndex_thenChecksCurrent() throws Exception {
    Path dockerfile = dir.resolve("Dockerfile");
    Files.writeString(dockerfile, "FROM " + ruby() + "\nRUN true\n");
    assertTrue(PinAllPlatforms.run(dir, resolver(), printer()));
    assertEquals(
        "FROM " + ruby() + "@" + Digest.sha256(index) + "\nRUN true\n",
        Files.readString(dockerfile));
  }

  @Test
  void customCredentialProvider_asksTheCiTokenThenTheVault_neverPrintingSecrets() throws Exception {
    CredentialChain chain =
        CustomCredentialProvider.chain(
            "ci-token-secret", Map.of("quay.io", Credential.basic("robot", "vault-secret")));
    assertEquals(
        Credential.basic("ci", "ci-token-secret"),
        chain.credentialFor("ghcr.io", "owner/app").orElseThrow());
    assertEquals(
        Credential.basic("robot", "vault-secret"),
        chain.credentialFor("quay.io", "owner/app").orElseThrow());
    String described = chain.describe("ghcr.io", "owner/app").orElseThrow();
    assertTrue(!described.contains("ci-token-secret"), described);
  }
}
