package dev.ocipin.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.auth.internal.Home;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustTest {
  @TempDir Path dir;

  @Test
  void defaultRoots_areDockersContainerdsAndTheUsersUnderHome() {
    Home home = Home.of(Map.of("HOME", "/ci/home"), FileSystems.getDefault());
    assertEquals(
        List.of(
            Path.of("/etc/docker/certs.d"),
            Path.of("/etc/containers/certs.d"),
            Path.of("/ci/home/.config/containers/certs.d")),
        Trust.defaultCertsDirs(home, FileSystems.getDefault()));
  }

  @Test
  void caFiles_callersFirst_thenEachRootsCrtFilesForTheHostAndPort() throws Exception {
    Path docker = dir.resolve("docker");
    Path user = dir.resolve("user");
    Files.createDirectories(docker.resolve("registry.corp:5000"));
    Files.createDirectories(user.resolve("registry.corp:5000"));
    Files.createDirectories(user.resolve("registry.corp"));
    Files.writeString(docker.resolve("registry.corp:5000/b.crt"), "");
    Files.writeString(docker.resolve("registry.corp:5000/a.crt"), "");
    Files.writeString(docker.resolve("registry.corp:5000/client.cert"), "");
    Files.writeString(docker.resolve("registry.corp:5000/client.key"), "");
    Files.writeString(user.resolve("registry.corp:5000/ca.crt"), "");
    Files.writeString(user.resolve("registry.corp/other-port.crt"), "");
    Path mine = dir.resolve("mine.pem");
    Trust trust = new Trust(List.of(mine), List.of(docker, dir.resolve("absent"), user));
    assertEquals(
        List.of(
            mine,
            docker.resolve("registry.corp:5000/a.crt"),
            docker.resolve("registry.corp:5000/b.crt"),
            user.resolve("registry.corp:5000/ca.crt")),
        trust.caFilesFor("Registry.Corp:5000"));
    assertEquals(List.of(mine), trust.caFilesFor("elsewhere.example"));
  }

  @Test
  void howToTrust_namesTheFirstAndLastDirectory_andTheOptions() {
    Trust trust = new Trust(List.of(), List.of(Path.of("/etc/docker/certs.d"), Path.of("/h/c")));
    String how = trust.howToTrust("127.0.0.1:5443");
    assertTrue(
        how.startsWith(
            "put its CA certificate in /etc/docker/certs.d/127.0.0.1:5443/ca.crt (or under"
                + " /h/c/127.0.0.1:5443), or trust it with --ca-cert FILE"),
        how);
  }
}
