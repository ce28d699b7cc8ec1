package dev.ocipin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ocipin.Digest;
import dev.ocipin.auth.CredentialChain;
import dev.ocipin.model.ImageIndex;
import dev.ocipin.model.Manifests;
import dev.ocipin.model.MediaType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.LogManager;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Options before the command, options a command does not use, the exit-code table, warnings. */
class CliOptionsTest {
  private final MockWebServer server = new MockWebServer();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final byte[] index =
      Manifests.toJson(ImageIndex.builder().mediaType(MediaType.OCI_INDEX).build());
  @TempDir Path dir;

  @BeforeEach
  void start() throws Exception {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Runs the command line, with loopback named insecure; see {@link CliHarness}. */
  private int run(String... given) {
    String[] args = CliHarness.plainLoopback(given);
    return new Cli(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            CredentialChain.of())
        .run(args);
  }

  private String host() {
    return "127.0.0.1:" + server.getPort();
  }

  private MockResponse indexResponse() {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", MediaType.OCI_INDEX.toString())
        .addHeader("Docker-Content-Digest", Digest.sha256(index).toString())
        .addHeader("Content-Length", index.length)
        .body(new Buffer().write(index))
        .build();
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void optionsMayComeBeforeTheCommand() throws Exception {
    server.enqueue(indexResponse());
    assertEquals(0, run("--json", "digest", host() + "/app:1"));
    JsonNode n = Json.MAPPER.readTree(stdout());
    assertEquals(Digest.sha256(index).toString(), n.get("digest").asText());
  }

  @Test
  void anOptionTheCommandDoesNotUse_isAnErrorNamingIt() {
    assertEquals(2, run("inspect", "--platform", "linux/amd64", host() + "/app:1"));
    assertEquals("ocipin: inspect does not take --platform; try `ocipin --help`\n", stderr());
    err.reset();
    assertEquals(2, run("digest", "--dry-run", host() + "/app:1"));
    assertTrue(stderr().contains("digest does not take --dry-run"), stderr());
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void version_printsTheVersion() {
    assertEquals(0, run("--version"));
    assertTrue(stdout().startsWith("ocipin "), stdout());
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void registryMirror_isTriedFirst() throws Exception {
    server.enqueue(indexResponse());
    assertEquals(
        0,
        run("digest", "--registry-mirror", "registry.example=" + host(), "registry.example/app:1"));
    assertEquals(Digest.sha256(index).toString() + "\n", stdout());
    RecordedRequest r = server.takeRequest();
    assertEquals("/v2/app/manifests/1", r.getTarget());
    err.reset();
    assertEquals(2, run("digest", "--registry-mirror", "no-equals-sign", "x:1"));
    assertTrue(stderr().contains("--registry-mirror takes REGISTRY=HOST"), stderr());
  }

  @Test
  void pinJson_printsThePlan_andPinsTheFile() throws Exception {
    Path dockerfile = dir.resolve("Dockerfile");
    Files.writeString(dockerfile, "FROM " + host() + "/app:1\n");
    server.enqueue(indexResponse());
    assertEquals(0, run("pin", "--json", dockerfile.toString()));
    JsonNode plan = Json.MAPPER.readTree(stdout());
    assertTrue(plan.get("applied").asBoolean());
    assertEquals(1, plan.get("changes").size());
    assertEquals(
        host() + "/app:1@" + Digest.sha256(index), plan.get("changes").get(0).get("new").asText());
    assertEquals(0, plan.get("failures").size());
    assertEquals(
        "FROM " + host() + "/app:1@" + Digest.sha256(index) + "\n", Files.readString(dockerfile));
  }

  @Test
  void notFound_exitsOne_forEveryCommand() throws Exception {
    Path dockerfile = dir.resolve("Dockerfile");
    Files.writeString(dockerfile, "FROM " + host() + "/missing:1\n");
    for (String command : new String[] {"digest", "inspect", "pin", "check"}) {
      server.enqueue(new MockResponse.Builder().code(404).build());
      String operand =
          command.equals("pin") || command.equals("check")
              ? dockerfile.toString()
              : host() + "/missing:1";
      assertEquals(1, run(command, operand), command + ": " + stderr());
    }
    assertEquals("FROM " + host() + "/missing:1\n", Files.readString(dockerfile));
  }

  @Test
  void warnings_areOneLineEach() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      Main.oneLineWarnings(new PrintStream(captured, true, StandardCharsets.UTF_8));
      System.getLogger("dev.ocipin.auth")
          .log(System.Logger.Level.WARNING, "ignoring {0}; looking elsewhere", "/h/config.json");
      System.getLogger("dev.ocipin").log(System.Logger.Level.INFO, "not shown");
    } finally {
      LogManager.getLogManager().readConfiguration();
    }
    assertEquals(
        "ocipin: warning: ignoring /h/config.json; looking elsewhere\n",
        captured.toString(StandardCharsets.UTF_8));
  }

  @Test
  void pin_exitsOne_whenAReferenceIsLeftForAPersonToPin() throws Exception {
    Path dockerfile = dir.resolve("Dockerfile");
    String text = "ARG V=1\nFROM " + host() + "/app:${V}-slim\n";
    Files.writeString(dockerfile, text);
    assertEquals(1, run("pin", dockerfile.toString()));
    assertTrue(stderr().contains("note: ") && stderr().contains("built from variables"), stderr());
    assertEquals(text, Files.readString(dockerfile));
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void fallbackToRegistry_isAFlag_andLeavesTheReferenceAnOperand() throws Exception {
    Options o =
        Options.parse(
            new String[] {
              "digest", "--source", "oci-layout://x", "--fallback-to-registry", "ruby:3.3"
            });
    assertTrue(o.fallBack);
    assertEquals(java.util.List.of("ruby:3.3"), o.operands);
    assertEquals("oci-layout://x", o.source);
  }
}
