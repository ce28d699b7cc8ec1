package dev.ocipin.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ocipin.Digest;
import dev.ocipin.DigestResolver;
import dev.ocipin.Platform;
import dev.ocipin.TestResolvers;
import dev.ocipin.auth.CredentialChain;
import dev.ocipin.registry.RequestEvent;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OCI layouts written by skopeo ({@code skopeo copy --all --preserve-digests}) from the real
 * registry resolve to the same digests as the registry itself, whether named by tag ({@code
 * oci:DIR:TAG}) or by full reference, and a layout ocipin's tests write is one skopeo copies into
 * the registry unchanged.
 */
class LayoutSkopeoIT {
  @TempDir Path dir;

  @Test
  void skopeoLayouts_resolveToTheRegistrysDigests() throws Exception {
    Path skopeo = skopeo();
    try (RegistryServer registry =
        RegistryServer.anonymous(Files.createDirectories(dir.resolve("registry")))) {
      Fixtures.Pushed pushed =
          Fixtures.dockerHubIndex(
              new Pusher(registry.host(), repo -> null), "library/ruby", "3.3.0-slim", "sk");
      String ref = registry.host() + "/library/ruby:3.3.0-slim";
      Path byTag = dir.resolve("by-tag");
      Path byName = dir.resolve("by-name");
      run(
          skopeo,
          "copy",
          "--all",
          "--preserve-digests",
          "--src-tls-verify=false",
          "docker://" + ref,
          "oci:" + byTag + ":3.3.0-slim");
      run(
          skopeo,
          "copy",
          "--all",
          "--preserve-digests",
          "--src-tls-verify=false",
          "docker://" + ref,
          "oci:" + byName + ":" + ref);

      List<RequestEvent> events = new CopyOnWriteArrayList<>();
      try (DigestResolver fromRegistry =
              TestResolvers.plainHttp().credentials(CredentialChain.of()).build();
          DigestResolver fromLayouts =
              DigestResolver.builder()
                  .credentials(CredentialChain.of())
                  .layoutSource("oci-layout://" + byName)
                  .listener(events::add)
                  .build()) {
        assertEquals(pushed.index(), fromRegistry.resolveIndex(ref).digest());
        String layoutRef = "oci-layout://" + byTag + ":3.3.0-slim";
        assertEquals(pushed.index(), fromLayouts.resolveIndex(layoutRef).digest());
        assertEquals(pushed.index(), fromLayouts.digest(ref));
        for (Map.Entry<String, Digest> child : pushed.children().entrySet()) {
          Platform p = Platform.parse(child.getKey());
          Digest registrys = fromRegistry.resolve(ref, p).digest();
          assertEquals(child.getValue(), registrys);
          assertEquals(registrys, fromLayouts.resolve(layoutRef, p).digest(), child.getKey());
          assertEquals(registrys, fromLayouts.resolve(ref, p).digest(), child.getKey());
          // The platform manifest itself, read from blobs/ and verified.
          assertEquals(
              registrys,
              fromLayouts.resolveIndex("oci-layout://" + byTag + "@" + registrys).digest());
        }
      }
      assertEquals(List.of(), events, "the layout source sent no request");

      // The other way: a layout ocipin's tests write, copied into the registry by skopeo.
      LayoutWriter w = new LayoutWriter(dir.resolve("written"), "docker.io");
      Fixtures.Pushed written = Fixtures.dockerHubIndex(w, "library/ruby", "3.4", "written");
      w.finish();
      run(
          skopeo,
          "copy",
          "--all",
          "--preserve-digests",
          "--dest-tls-verify=false",
          "oci:" + dir.resolve("written") + ":docker.io/library/ruby:3.4",
          "docker://" + registry.host() + "/library/ruby:3.4");
      try (DigestResolver fromRegistry =
          TestResolvers.plainHttp().credentials(CredentialChain.of()).build()) {
        assertEquals(
            written.index(),
            fromRegistry.resolveIndex(registry.host() + "/library/ruby:3.4").digest());
      }
    }
  }

  private static void run(Path skopeo, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(skopeo.toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("skopeo " + String.join(" ", args) + " failed:\n" + out);
    }
  }

  /** Returns the skopeo binary, or skips (fails under CI) when it is missing. */
  private static Path skopeo() {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      Path p = Path.of(d, "skopeo");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    String message = "skopeo is not installed: run `apt-get install -y skopeo` to run this test";
    if ("true".equals(System.getenv("CI"))) {
      throw new IllegalStateException(
          message + " (CI=true: integration tests must not be skipped)");
    }
    Assumptions.assumeTrue(false, message);
    throw new AssertionError("unreachable");
  }
}
