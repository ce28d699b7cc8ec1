package dev.ocipin.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocipin.it.Fixtures;
import dev.ocipin.it.Pusher;
import dev.ocipin.it.RegistryServer;
import dev.ocipin.lock.ImageLock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin in real Maven builds (forked, see {@link ForkedMaven}) against the real distribution
 * registry on 127.0.0.1: lock, resolve, check and pin a sample project, drift after a tag moves,
 * offline mode, a private registry through encrypted settings.xml credentials, and a Jib build on
 * the locked digest.
 */
class PluginIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MANIFESTS =
      "application/vnd.docker.distribution.manifest.v2+json,"
          + "application/vnd.oci.image.manifest.v1+json";

  @TempDir Path dir;

  @Test
  void lockResolvePinAndCheck_thenDriftWhenTheTagMoves_andOfflineFromTheLock() throws Exception {
    try (RegistryServer registry =
        RegistryServer.anonymous(Files.createDirectories(dir.resolve("registry")))) {
      Pusher push = new Pusher(registry.host(), repo -> null);
      Fixtures.Pushed temurin = Fixtures.dockerHubIndex(push, "eclipse-temurin", "21-jre", "one");
      Fixtures.Pushed alpine = Fixtures.dockerHubIndex(push, "alpine", "3.19", "a");
      String r = registry.host();
      Path project = ForkedMaven.project("images", dir.resolve("project"), Map.of("registry", r));
      ForkedMaven mvn = new ForkedMaven(dir.resolve("home"));

      // Before any lock, resolve says what to do.
      String unlocked = mvn.run(project, "initialize").expectFailure().output();
      assertTrue(
          unlocked.contains(
              "image base ("
                  + r
                  + "/eclipse-temurin:21-jre) is not locked in ocipin.lock; lock"
                  + " it and commit the lock file"),
          unlocked);

      long before = registry.requestsAnswered();
      String locked = mvn.run(project, "ocipin:lock").expectSuccess().output();
      // One GET of each index: tools' arm64 digest is its descriptor in the index.
      assertEquals(2, registry.requestsAnswered() - before, locked);
      Path lockFile = project.resolve("ocipin.lock");
      ImageLock lock = ImageLock.read(lockFile);
      assertEquals(
          r + "/eclipse-temurin:21-jre@" + temurin.index(),
          lock.get("base").orElseThrow().pinned().toString());
      assertEquals(
          r + "/alpine:3.19@" + alpine.children().get("linux/arm64/v8"),
          lock.get("tools").orElseThrow().pinned().toString());
      assertTrue(locked.contains("[INFO] wrote ocipin.lock (2 images); commit it"), locked);
      String text = Files.readString(lockFile);

      // resolve (initialize) sets the properties that later plugins read.
      mvn.run(project, "generate-resources").expectSuccess();
      assertEquals(
          "base="
              + r
              + "/eclipse-temurin:21-jre@"
              + temurin.index()
              + "\ntools="
              + r
              + "/alpine:3.19@"
              + alpine.children().get("linux/arm64/v8"),
          Files.readString(project.resolve("target/images.txt")).strip());

      // check fails on the unpinned Dockerfile and compose file, then pin fixes them.
      String unpinned = mvn.run(project, "verify").expectFailure().output();
      assertTrue(
          unpinned.contains("[WARNING] Dockerfile:1: unpinned " + r + "/eclipse-temurin:21-jre"),
          unpinned);
      assertTrue(unpinned.contains("2 of 4 references pinned and current (2 unpinned)"), unpinned);
      String badForm =
          mvn.run(project, "ocipin:pin", "-Docipin.form=short").expectFailure().output();
      assertTrue(
          badForm.contains(
              ":pin (default-cli) on project images: ocipin: form \"short\" is not one of keep,"
                  + " familiar, canonical"),
          badForm);
      String dry = mvn.run(project, "ocipin:pin", "-Docipin.dryRun").expectSuccess().output();
      assertTrue(dry.contains("+FROM " + r + "/eclipse-temurin:21-jre@" + temurin.index()), dry);
      assertEquals(
          "FROM " + r + "/eclipse-temurin:21-jre",
          Files.readAllLines(project.resolve("Dockerfile")).get(0),
          "a dry run writes nothing");
      mvn.run(project, "ocipin:pin").expectSuccess();
      assertEquals(
          "FROM " + r + "/eclipse-temurin:21-jre@" + temurin.index(),
          Files.readAllLines(project.resolve("Dockerfile")).get(0));
      assertTrue(
          Files.readString(project.resolve("compose.yaml"))
              .contains("image: " + r + "/alpine:3.19@" + alpine.index()),
          "compose pins the index: every platform");
      String current = mvn.run(project, "verify").expectSuccess().output();
      assertTrue(current.contains("[INFO] 4 of 4 references pinned and current"), current);

      // The tag moves upstream: the lock and the Dockerfile have drifted, and verify fails.
      Fixtures.Pushed rebuilt = Fixtures.dockerHubIndex(push, "eclipse-temurin", "21-jre", "two");
      String drifted = mvn.run(project, "verify").expectFailure().output();
      assertTrue(
          drifted.contains(
              "[WARNING] ocipin.lock:5: drifted "
                  + r
                  + "/eclipse-temurin:21-jre (tag moved from "
                  + temurin.index()
                  + " to "
                  + rebuilt.index()
                  + "; lock it again with update)"),
          drifted);
      assertTrue(
          drifted.contains("[WARNING] Dockerfile:1: drifted " + r + "/eclipse-temurin:21-jre@"),
          drifted);
      assertTrue(
          drifted.contains(
              "[ERROR] Failed to execute goal dev.ocipin:ocipin-maven-plugin:"
                  + System.getProperty("it.plugin.version")
                  + ":check (check) on project images: 2 of 4 references pinned and current"
                  + " (2 drifted)"),
          drifted);
      mvn.run(project, "verify", "-Docipin.failOnDrift=false").expectSuccess();

      // A lock without update keeps what it has; with update it follows the tag.
      mvn.run(project, "ocipin:lock").expectSuccess();
      assertEquals(text, Files.readString(lockFile), "kept: the point of a lock");
      String updated = mvn.run(project, "ocipin:lock", "-Docipin.update").expectSuccess().output();
      assertTrue(
          updated.contains(
              "base: "
                  + r
                  + "/eclipse-temurin:21-jre -> "
                  + r
                  + "/eclipse-temurin:21-jre@"
                  + rebuilt.index()
                  + " (updated from "
                  + temurin.index()
                  + ")"),
          updated);

      // The goals' documentation, generated by the plugin tooling.
      String help =
          mvn.run(project, "ocipin:help", "-Ddetail", "-Dgoal=check").expectSuccess().output();
      assertTrue(help.contains("ocipin:check") && help.contains("failOnDrift"), help);

      // Offline: resolve works from the lock alone; lock and check say they need the network.
      registry.stop();
      mvn.run(project, "-o", "generate-resources").expectSuccess();
      assertTrue(
          Files.readString(project.resolve("target/images.txt"))
              .contains(rebuilt.index().toString()));
      String offline = mvn.run(project, "-o", "ocipin:lock").expectFailure().output();
      assertTrue(
          offline.contains(
              "ocipin: Maven is offline (-o), and ocipin:lock asks the registry what the tags"
                  + " point to; run it online. ocipin:resolve works offline, from ocipin.lock"),
          offline);
      mvn.run(project, "-o", "verify").expectFailure();
      mvn.run(project, "-o", "verify", "-Docipin.skip").expectSuccess();

      // The build now declares another tag than the lock holds: resolve says to lock again.
      Path pom = project.resolve("pom.xml");
      Files.writeString(pom, Files.readString(pom).replace("alpine:3.19", "alpine:3.20"));
      String moved = mvn.run(project, "-o", "initialize").expectFailure().output();
      assertTrue(
          moved.contains(
              "image tools is locked in ocipin.lock for "
                  + r
                  + "/alpine:3.19, but the build declares "
                  + r
                  + "/alpine:3.20; lock it again with update and commit the lock file"),
          moved);
    }
  }

  @Test
  void privateRegistry_credentialsFromSettingsXml_withAnEncryptedPassword() throws Exception {
    try (RegistryServer registry =
        RegistryServer.htpasswd(Files.createDirectories(dir.resolve("registry")))) {
      String basic =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((RegistryServer.USER + ":" + RegistryServer.PASSWORD).getBytes());
      Fixtures.Pushed base =
          Fixtures.dockerHubIndex(
              new Pusher(registry.host(), repo -> basic), "team/base", "1", "private");
      Path project =
          ForkedMaven.project(
              "private", dir.resolve("project"), Map.of("registry", registry.host()));
      ForkedMaven mvn = new ForkedMaven(dir.resolve("home"));

      String anonymous = mvn.run(project, "ocipin:lock").expectFailure().output();
      assertTrue(anonymous.contains("ocipin: cannot lock image base: "), anonymous);
      assertFalse(Files.exists(project.resolve("ocipin.lock")), "nothing half-written");

      Path security = mvn.home().resolve("settings-security.xml");
      String password = encryptAsMaven(mvn, project, security, RegistryServer.PASSWORD);
      Path settings = mvn.home().resolve("registry-settings.xml");
      Files.writeString(
          settings,
          "<settings><servers><server><id>"
              + registry.host()
              + "</id><username>"
              + RegistryServer.USER
              + "</username><password>"
              + password
              + "</password></server></servers></settings>\n");
      ForkedMaven.Result ok =
          mvn.settings(settings)
              .run(project, "-Dsettings.security=" + security, "-X", "ocipin:lock")
              .expectSuccess();
      assertEquals(
          registry.host() + "/team/base:1@" + base.index(),
          ImageLock.read(project.resolve("ocipin.lock"))
              .get("base")
              .orElseThrow()
              .pinned()
              .toString());
      assertFalse(ok.output().contains(RegistryServer.PASSWORD), "never logged, even with -X");
    }
  }

  @Test
  void proxyFromSettingsXml_withEncryptedCredentials_reachesARegistryBehindIt() throws Exception {
    try (RegistryServer registry =
        RegistryServer.anonymous(Files.createDirectories(dir.resolve("registry")))) {
      Fixtures.Pushed base =
          Fixtures.dockerHubIndex(
              new Pusher(registry.host(), repo -> null), "team/base", "1", "proxied");
      String proxyPassword = "proxy-Pa55-it";
      // A registry name that only the proxy knows: it is never looked up, and not loopback, so
      // ocipin sends it through the proxy.
      String name = "registry.corp.test:" + registry.port();
      try (AuthProxy proxy =
          new AuthProxy(
              "Basic "
                  + Base64.getEncoder().encodeToString(("corp-user:" + proxyPassword).getBytes()),
              registry.port())) {
        Path project =
            ForkedMaven.project("private", dir.resolve("project"), Map.of("registry", name));
        ForkedMaven mvn = new ForkedMaven(dir.resolve("home"));
        Path security = mvn.home().resolve("settings-security.xml");
        String password = encryptAsMaven(mvn, project, security, proxyPassword);
        Path settings = mvn.home().resolve("proxy-settings.xml");
        Files.writeString(
            settings,
            "<settings><proxies><proxy><id>corp</id><active>true</active><protocol>http</protocol>"
                + "<host>127.0.0.1</host><port>"
                + proxy.port()
                + "</port><username>corp-user</username><password>"
                + password
                + "</password><nonProxyHosts>repo.maven.apache.org|*.maven.org</nonProxyHosts>"
                + "</proxy></proxies></settings>\n");
        ForkedMaven.Result ok =
            mvn.settings(settings)
                .run(
                    project,
                    "-Dsettings.security=" + security,
                    "-Docipin.insecureRegistries=" + name,
                    "ocipin:lock")
                .expectSuccess();
        assertEquals(
            name + "/team/base:1@" + base.index(),
            ImageLock.read(project.resolve("ocipin.lock"))
                .get("base")
                .orElseThrow()
                .pinned()
                .toString());
        String manifest = "GET http://" + name + "/v2/team/base/manifests/1";
        assertEquals(List.of("407 " + manifest, "forwarded " + manifest), proxy.seen());
        assertFalse(ok.output().contains(proxyPassword), ok.output());
      }
    }
  }

  /**
   * Encrypts {@code secret} as Maven encrypts passwords: with a master password (itself encrypted,
   * written to {@code security}), by {@code mvn --encrypt-password}.
   */
  private static String encryptAsMaven(ForkedMaven mvn, Path project, Path security, String secret)
      throws Exception {
    String master = encrypted(mvn.run(project, "--encrypt-master-password", "master-it-7"));
    Files.writeString(
        security, "<settingsSecurity><master>" + master + "</master></settingsSecurity>\n");
    String password =
        encrypted(
            mvn.run(project, "-Dsettings.security=" + security, "--encrypt-password", secret));
    assertFalse(password.contains(secret));
    return password;
  }

  private static String encrypted(ForkedMaven.Result r) {
    Matcher m = Pattern.compile("\\{[A-Za-z0-9+/=]{16,}\\}").matcher(r.expectSuccess().output());
    assertTrue(m.find(), r.output());
    return m.group();
  }

  @Test
  void jib_buildsOnTheLockedDigest_evenAfterTheTagMoves() throws Exception {
    try (RegistryServer registry =
        RegistryServer.anonymous(Files.createDirectories(dir.resolve("registry")))) {
      Pusher push = new Pusher(registry.host(), repo -> null);
      Map<String, BaseImages.Platform> v1 = BaseImages.push(push, "base/jre", "21", "v1");
      Path project =
          ForkedMaven.project("jib", dir.resolve("project"), Map.of("registry", registry.host()));
      ForkedMaven mvn = new ForkedMaven(dir.resolve("home"));
      mvn.run(project, "ocipin:lock").expectSuccess();
      // The tag is rebuilt after the lock: a build from the tag would take v2.
      Map<String, BaseImages.Platform> v2 = BaseImages.push(push, "base/jre", "21", "v2");
      List<String> jib =
          List.of(
              "compile",
              "jib:build",
              "-Djib.disableUpdateChecks=true",
              "-Djib.baseImageCache=" + dir.resolve("jib-cache"),
              "-Djib.console=plain");

      // The contrast: Jib from the tag warns, and builds on whatever the tag is now.
      List<String> fromTag = new java.util.ArrayList<>(jib);
      fromTag.add("-Djib.from.image=" + registry.host() + "/base/jre:21");
      fromTag.add("-Djib.to.image=" + registry.host() + "/team/app:from-tag");
      String unpinned = mvn.run(project, fromTag.toArray(new String[0])).expectSuccess().output();
      assertTrue(
          unpinned.contains(
              "Base image '"
                  + registry.host()
                  + "/base/jre:21' does not use a specific image digest - build may not be"
                  + " reproducible"),
          unpinned);
      assertEquals(
          v2.get("linux/amd64").layer().toString(),
          get(registry, "/v2/team/app/manifests/from-tag", MANIFESTS)
              .at("/layers/0/digest")
              .asText());

      String built = mvn.run(project, jib.toArray(new String[0])).expectSuccess().output();
      assertTrue(
          built.contains(
              "ocipin.image.base = "
                  + registry.host()
                  + "/base/jre:21@"
                  + v1.get("index").manifest()),
          built);
      assertFalse(built.contains("does not use a specific image digest"), built);

      JsonNode manifest = get(registry, "/v2/team/app/manifests/1", MANIFESTS);
      BaseImages.Platform amd64 = v1.get("linux/amd64");
      assertEquals(
          amd64.layer().toString(), manifest.at("/layers/0/digest").asText(), "base layer");
      JsonNode config =
          get(registry, "/v2/team/app/blobs/" + manifest.at("/config/digest").asText(), "*/*");
      assertEquals(amd64.diffId().toString(), config.at("/rootfs/diff_ids/0").asText());
      assertEquals("v1", config.at("/config/Labels/base.release").asText(), "the base's config");
      assertTrue(manifest.get("layers").size() > 1, "the application's layers follow the base's");
    }
  }

  private static JsonNode get(RegistryServer registry, String path, String accept)
      throws Exception {
    HttpResponse<byte[]> r =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build()
            .send(
                HttpRequest.newBuilder(URI.create("http://" + registry.host() + path))
                    .header("Accept", accept)
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode(), path);
    return JSON.readTree(r.body());
  }
}
