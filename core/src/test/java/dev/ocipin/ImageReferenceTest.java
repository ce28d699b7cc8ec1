package dev.ocipin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reference grammar and normalisation. The vectors come from distribution/reference's
 * reference_test.go and normalize_test.go (adapted to normalised parsing, as docker pull does it),
 * plus the rules in DESIGN.md.
 */
class ImageReferenceTest {
  private static final String F64 =
      "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
  private static final String SHA = "sha256:" + F64;
  private static final String SHA512 = "sha512:" + F64 + F64;
  private static final String HEX =
      "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a";

  /** input, registry, repository, tag ("" for none), digest ("" for none), canonical, familiar. */
  static Stream<Arguments> valid() {
    return Stream.of(
        // normalize_test.go TestParseRepositoryInfo / TestNormalizedSplitHostname
        v("ubuntu", "docker.io", "library/ubuntu", "", "", "docker.io/library/ubuntu", "ubuntu"),
        v(
            "library/ubuntu",
            "docker.io",
            "library/ubuntu",
            "",
            "",
            "docker.io/library/ubuntu",
            "ubuntu"),
        v(
            "docker.io/library/ubuntu",
            "docker.io",
            "library/ubuntu",
            "",
            "",
            "docker.io/library/ubuntu",
            "ubuntu"),
        v(
            "docker.io/ubuntu",
            "docker.io",
            "library/ubuntu",
            "",
            "",
            "docker.io/library/ubuntu",
            "ubuntu"),
        v(
            "index.docker.io/ubuntu",
            "docker.io",
            "library/ubuntu",
            "",
            "",
            "docker.io/library/ubuntu",
            "ubuntu"),
        v(
            "index.docker.io/library/ubuntu",
            "docker.io",
            "library/ubuntu",
            "",
            "",
            "docker.io/library/ubuntu",
            "ubuntu"),
        v("fooo/bar", "docker.io", "fooo/bar", "", "", "docker.io/fooo/bar", "fooo/bar"),
        v(
            "index.docker.io/fooo/bar",
            "docker.io",
            "fooo/bar",
            "",
            "",
            "docker.io/fooo/bar",
            "fooo/bar"),
        v(
            "nonlibrary/ubuntu",
            "docker.io",
            "nonlibrary/ubuntu",
            "",
            "",
            "docker.io/nonlibrary/ubuntu",
            "nonlibrary/ubuntu"),
        v(
            "other/library",
            "docker.io",
            "other/library",
            "",
            "",
            "docker.io/other/library",
            "other/library"),
        v(
            "127.0.0.1:8000/private/moonbase",
            "127.0.0.1:8000",
            "private/moonbase",
            "",
            "",
            "127.0.0.1:8000/private/moonbase",
            "127.0.0.1:8000/private/moonbase"),
        v(
            "127.0.0.1:8000/privatebase",
            "127.0.0.1:8000",
            "privatebase",
            "",
            "",
            "127.0.0.1:8000/privatebase",
            "127.0.0.1:8000/privatebase"),
        v(
            "example.com/private/moonbase",
            "example.com",
            "private/moonbase",
            "",
            "",
            "example.com/private/moonbase",
            "example.com/private/moonbase"),
        v(
            "example.com:8000/privatebasee",
            "example.com:8000",
            "privatebasee",
            "",
            "",
            "example.com:8000/privatebasee",
            "example.com:8000/privatebasee"),
        v(
            "ubuntu-12.04-base",
            "docker.io",
            "library/ubuntu-12.04-base",
            "",
            "",
            "docker.io/library/ubuntu-12.04-base",
            "ubuntu-12.04-base"),
        v(
            "docker.io/library/foo/bar",
            "docker.io",
            "library/foo/bar",
            "",
            "",
            "docker.io/library/foo/bar",
            "library/foo/bar"),
        v(
            "store/foo/bar",
            "docker.io",
            "store/foo/bar",
            "",
            "",
            "docker.io/store/foo/bar",
            "store/foo/bar"),
        v("Foo/bar", "Foo", "bar", "", "", "Foo/bar", "Foo/bar"),
        v("FOO/bar", "FOO", "bar", "", "", "FOO/bar", "FOO/bar"),
        v("Docker/docker", "Docker", "docker", "", "", "Docker/docker", "Docker/docker"),
        v(
            "test_com/foo",
            "docker.io",
            "test_com/foo",
            "",
            "",
            "docker.io/test_com/foo",
            "test_com/foo"),
        v(
            "docker/migrator",
            "docker.io",
            "docker/migrator",
            "",
            "",
            "docker.io/docker/migrator",
            "docker/migrator"),
        v("test.com/foo", "test.com", "foo", "", "", "test.com/foo", "test.com/foo"),
        v(
            "test.com:8080/foo",
            "test.com:8080",
            "foo",
            "",
            "",
            "test.com:8080/foo",
            "test.com:8080/foo"),
        v(
            "test-com:8080/foo",
            "test-com:8080",
            "foo",
            "",
            "",
            "test-com:8080/foo",
            "test-com:8080/foo"),
        v("xn--n3h.com/foo", "xn--n3h.com", "foo", "", "", "xn--n3h.com/foo", "xn--n3h.com/foo"),
        v(
            "xn--n3h.com:18080/foo",
            "xn--n3h.com:18080",
            "foo",
            "",
            "",
            "xn--n3h.com:18080/foo",
            "xn--n3h.com:18080/foo"),
        v("localhost/foo", "localhost", "foo", "", "", "localhost/foo", "localhost/foo"),
        v(
            "localhost:5000/foo/bar:1",
            "localhost:5000",
            "foo/bar",
            "1",
            "",
            "localhost:5000/foo/bar:1",
            "localhost:5000/foo/bar:1"),
        // A single component is always Docker Hub: "localhost:5000" is library/localhost, tag 5000.
        v(
            "localhost:5000",
            "docker.io",
            "library/localhost",
            "5000",
            "",
            "docker.io/library/localhost:5000",
            "localhost:5000"),
        v(
            "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
            "docker.io",
            "library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
            "",
            "",
            "docker.io/library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
            "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev"),
        v(
            "docker.io/" + HEX,
            "docker.io",
            "library/" + HEX,
            "",
            "",
            "docker.io/library/" + HEX,
            HEX),
        v(
            "docker-rules/docker",
            "docker.io",
            "docker-rules/docker",
            "",
            "",
            "docker.io/docker-rules/docker",
            "docker-rules/docker"),
        v(
            "docker---rules/docker",
            "docker.io",
            "docker---rules/docker",
            "",
            "",
            "docker.io/docker---rules/docker",
            "docker---rules/docker"),
        v("d/docker", "docker.io", "d/docker", "", "", "docker.io/d/docker", "d/docker"),
        v("jess/t", "docker.io", "jess/t", "", "", "docker.io/jess/t", "jess/t"),
        v(
            "dock__er/docker",
            "docker.io",
            "dock__er/docker",
            "",
            "",
            "docker.io/dock__er/docker",
            "dock__er/docker"),
        // reference_test.go TestReferenceParse, normalised
        v(
            "test_com",
            "docker.io",
            "library/test_com",
            "",
            "",
            "docker.io/library/test_com",
            "test_com"),
        v(
            "test.com:tag",
            "docker.io",
            "library/test.com",
            "tag",
            "",
            "docker.io/library/test.com:tag",
            "test.com:tag"),
        v(
            "test.com:5000",
            "docker.io",
            "library/test.com",
            "5000",
            "",
            "docker.io/library/test.com:5000",
            "test.com:5000"),
        v(
            "test.com/repo:tag",
            "test.com",
            "repo",
            "tag",
            "",
            "test.com/repo:tag",
            "test.com/repo:tag"),
        v("test:5000/repo", "test:5000", "repo", "", "", "test:5000/repo", "test:5000/repo"),
        v(
            "test:5000/repo:tag",
            "test:5000",
            "repo",
            "tag",
            "",
            "test:5000/repo:tag",
            "test:5000/repo:tag"),
        v(
            "test:5000/repo@" + SHA,
            "test:5000",
            "repo",
            "",
            SHA,
            "test:5000/repo@" + SHA,
            "test:5000/repo@" + SHA),
        v(
            "test:5000/repo:tag@" + SHA,
            "test:5000",
            "repo",
            "tag",
            SHA,
            "test:5000/repo:tag@" + SHA,
            "test:5000/repo:tag@" + SHA),
        v(
            "lowercase:Uppercase",
            "docker.io",
            "library/lowercase",
            "Uppercase",
            "",
            "docker.io/library/lowercase:Uppercase",
            "lowercase:Uppercase"),
        v(
            "sub-dom1.foo.com/bar/baz/quux",
            "sub-dom1.foo.com",
            "bar/baz/quux",
            "",
            "",
            "sub-dom1.foo.com/bar/baz/quux",
            "sub-dom1.foo.com/bar/baz/quux"),
        v(
            "sub-dom1.foo.com/bar/baz/quux:some-long-tag",
            "sub-dom1.foo.com",
            "bar/baz/quux",
            "some-long-tag",
            "",
            "sub-dom1.foo.com/bar/baz/quux:some-long-tag",
            "sub-dom1.foo.com/bar/baz/quux:some-long-tag"),
        v(
            "b.gcr.io/test.example.com/my-app:test.example.com",
            "b.gcr.io",
            "test.example.com/my-app",
            "test.example.com",
            "",
            "b.gcr.io/test.example.com/my-app:test.example.com",
            "b.gcr.io/test.example.com/my-app:test.example.com"),
        v(
            "xn--7o8h.com/myimage:xn--7o8h.com@" + SHA512,
            "xn--7o8h.com",
            "myimage",
            "xn--7o8h.com",
            SHA512,
            "xn--7o8h.com/myimage:xn--7o8h.com@" + SHA512,
            "xn--7o8h.com/myimage:xn--7o8h.com@" + SHA512),
        v(
            "foo_bar.com:8080",
            "docker.io",
            "library/foo_bar.com",
            "8080",
            "",
            "docker.io/library/foo_bar.com:8080",
            "foo_bar.com:8080"),
        v(
            "foo/foo_bar.com:8080",
            "docker.io",
            "foo/foo_bar.com",
            "8080",
            "",
            "docker.io/foo/foo_bar.com:8080",
            "foo/foo_bar.com:8080"),
        v(
            "192.168.1.1",
            "docker.io",
            "library/192.168.1.1",
            "",
            "",
            "docker.io/library/192.168.1.1",
            "192.168.1.1"),
        v(
            "192.168.1.1:5000",
            "docker.io",
            "library/192.168.1.1",
            "5000",
            "",
            "docker.io/library/192.168.1.1:5000",
            "192.168.1.1:5000"),
        v(
            "192.168.1.1/repo",
            "192.168.1.1",
            "repo",
            "",
            "",
            "192.168.1.1/repo",
            "192.168.1.1/repo"),
        v(
            "192.168.1.1:5000/repo:5050",
            "192.168.1.1:5000",
            "repo",
            "5050",
            "",
            "192.168.1.1:5000/repo:5050",
            "192.168.1.1:5000/repo:5050"),
        v(
            "[2001:db8::1]/repo",
            "[2001:db8::1]",
            "repo",
            "",
            "",
            "[2001:db8::1]/repo",
            "[2001:db8::1]/repo"),
        v(
            "[2001:db8:1:2:3:4:5:6]/repo:tag",
            "[2001:db8:1:2:3:4:5:6]",
            "repo",
            "tag",
            "",
            "[2001:db8:1:2:3:4:5:6]/repo:tag",
            "[2001:db8:1:2:3:4:5:6]/repo:tag"),
        v(
            "[2001:db8::1]:5000/repo:tag@" + SHA,
            "[2001:db8::1]:5000",
            "repo",
            "tag",
            SHA,
            "[2001:db8::1]:5000/repo:tag@" + SHA,
            "[2001:db8::1]:5000/repo:tag@" + SHA),
        v(
            "[2001:db8::]:5000/repo",
            "[2001:db8::]:5000",
            "repo",
            "",
            "",
            "[2001:db8::]:5000/repo",
            "[2001:db8::]:5000/repo"),
        v("[::1]:5000/repo", "[::1]:5000", "repo", "", "", "[::1]:5000/repo", "[::1]:5000/repo"),
        v(
            "[fc00::1]:5000/docker/docker",
            "[fc00::1]:5000",
            "docker/docker",
            "",
            "",
            "[fc00::1]:5000/docker/docker",
            "[fc00::1]:5000/docker/docker"),
        // normalize_test.go TestParseReferenceWithTagAndDigest: tag and digest are both kept.
        v(
            "busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa",
            "docker.io",
            "library/busybox",
            "latest",
            "sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa",
            "docker.io/library/busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa",
            "busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa"),
        v(
            "redis@sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c",
            "docker.io",
            "library/redis",
            "",
            "sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c",
            "docker.io/library/redis@sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c",
            "redis@sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c"),
        v(
            "dmcgowan/myapp:latest",
            "docker.io",
            "dmcgowan/myapp",
            "latest",
            "",
            "docker.io/dmcgowan/myapp:latest",
            "dmcgowan/myapp:latest"),
        v(
            "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9",
            "docker.io",
            "library/dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9",
            "",
            "",
            "docker.io/library/dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9",
            "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9"),
        // Real-world references
        v(
            "ruby:3.3.0-slim",
            "docker.io",
            "library/ruby",
            "3.3.0-slim",
            "",
            "docker.io/library/ruby:3.3.0-slim",
            "ruby:3.3.0-slim"),
        v(
            "registry.docker.com/library/ruby:3.3",
            "registry.docker.com",
            "library/ruby",
            "3.3",
            "",
            "registry.docker.com/library/ruby:3.3",
            "registry.docker.com/library/ruby:3.3"),
        v(
            "ghcr.io/owner/img:v1.2.3",
            "ghcr.io",
            "owner/img",
            "v1.2.3",
            "",
            "ghcr.io/owner/img:v1.2.3",
            "ghcr.io/owner/img:v1.2.3"),
        v(
            "quay.io/prometheus/node-exporter:v1.8.0",
            "quay.io",
            "prometheus/node-exporter",
            "v1.8.0",
            "",
            "quay.io/prometheus/node-exporter:v1.8.0",
            "quay.io/prometheus/node-exporter:v1.8.0"),
        v(
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app:2024_01",
            "123456789012.dkr.ecr.us-east-1.amazonaws.com",
            "team/app",
            "2024_01",
            "",
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app:2024_01",
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app:2024_01"),
        v(
            "bitnami/redis:_underscore",
            "docker.io",
            "bitnami/redis",
            "_underscore",
            "",
            "docker.io/bitnami/redis:_underscore",
            "bitnami/redis:_underscore"),
        v(
            "a/" + "b".repeat(253),
            "docker.io",
            "a/" + "b".repeat(253),
            "",
            "",
            "docker.io/a/" + "b".repeat(253),
            "a/" + "b".repeat(253)),
        v(
            "x.io/a:" + "t".repeat(128),
            "x.io",
            "a",
            "t".repeat(128),
            "",
            "x.io/a:" + "t".repeat(128),
            "x.io/a:" + "t".repeat(128)));
  }

  private static Arguments v(
      String input,
      String registry,
      String repository,
      String tag,
      String digest,
      String canonical,
      String familiar) {
    return Arguments.of(input, registry, repository, tag, digest, canonical, familiar);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void parse_validReference_matchesDockerNormalisation(
      String input,
      String registry,
      String repository,
      String tag,
      String digest,
      String canonical,
      String familiar) {
    ImageReference ref = ImageReference.parse(input);
    assertEquals(registry, ref.registry());
    assertEquals(repository, ref.repository());
    assertEquals(tag.isEmpty() ? Optional.empty() : Optional.of(tag), ref.tag());
    assertEquals(
        digest.isEmpty() ? Optional.empty() : Optional.of(Digest.parse(digest)), ref.digest());
    assertEquals(canonical, ref.toString());
    assertEquals(familiar, ref.familiar());
    // The canonical form parses back to the same reference.
    assertEquals(ref, ImageReference.parse(ref.toString()));
    if (!familiar.matches("[a-f0-9]{64}")) {
      // A familiar name that is 64 hex characters reads as an image ID, as in Docker.
      assertEquals(ref, ImageReference.parse(ref.familiar()));
    }
  }

  /** input, a fragment of the reason, the offending part ("" when the whole input). */
  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("", "empty", ""),
        Arguments.of(":justtag", "repository name is empty", ""),
        Arguments.of("@" + SHA, "repository name is empty", ""),
        Arguments.of(
            "repo@sha256:ffffffffffffffffffffffffffffffffff",
            "invalid digest length",
            "ffffffffffffffffffffffffffffffffff"),
        Arguments.of(
            "validname@invaliddigest:" + F64, "unsupported digest algorithm", "invaliddigest"),
        Arguments.of(
            "repo@sha256:" + F64.toUpperCase(), "hex must be lowercase", F64.toUpperCase()),
        Arguments.of("Uppercase:tag", "must be lowercase", "Uppercase"),
        Arguments.of("test:5000/Uppercase/lowercase:tag", "must be lowercase", "Uppercase"),
        Arguments.of("Ghcr.io/OWNER/img", "must be lowercase", "OWNER"),
        Arguments.of("docker/Docker", "must be lowercase", "Docker"),
        Arguments.of("docker.io/docker/Docker", "must be lowercase", "Docker"),
        Arguments.of("a/".repeat(128) + "a:tag", "more than 255 characters", ""),
        Arguments.of("a/" + "b".repeat(254), "more than 255 characters", ""),
        Arguments.of("aa/asdf$$^/aa", "invalid repository name component", "asdf$$^"),
        Arguments.of("[2001:db8::1]", "invalid", ""),
        Arguments.of("[2001:db8::1]:5000", "invalid", ""),
        Arguments.of("[fe80::1%eth0]:5000/repo", "IPv6", "[fe80::1%eth0]:5000"),
        Arguments.of(
            "[2001:db8:3:4::192.0.2.33]:5000/debian", "IPv6", "[2001:db8:3:4::192.0.2.33]:5000"),
        Arguments.of("fc00::1:5000/debian", "invalid registry host", "fc00::1:5000"),
        Arguments.of("https://github.com/docker/docker", "invalid registry host", "https:"),
        Arguments.of("-docker", "invalid repository name component", "-docker"),
        Arguments.of("-docker/docker", "invalid repository name component", "-docker"),
        Arguments.of("-docker.io/docker/docker", "invalid registry host", "-docker.io"),
        Arguments.of("docker///docker", "empty path component", ""),
        Arguments.of("docker.io/docker///docker", "empty path component", ""),
        Arguments.of("docker-/docker", "invalid repository name component", "docker-"),
        Arguments.of("-docker-/docker", "invalid repository name component", "-docker-"),
        Arguments.of("____/____", "invalid repository name component", "____"),
        Arguments.of("_docker/_docker", "invalid repository name component", "_docker"),
        Arguments.of("dock..er/docker", "invalid registry host", "dock..er"),
        Arguments.of("dock_.er/docker", "invalid registry host", "dock_.er"),
        Arguments.of("dock-.er/docker", "invalid registry host", "dock-.er"),
        Arguments.of("docker/", "empty path component", ""),
        Arguments.of(HEX, "image ID", ""),
        Arguments.of("ruby:-bad", "invalid tag", "-bad"),
        Arguments.of("ruby:.bad", "invalid tag", ".bad"),
        Arguments.of("ruby:" + "t".repeat(129), "invalid tag", "t".repeat(129)),
        Arguments.of("ruby:3.3 slim", "invalid tag", "3.3 slim"),
        Arguments.of("ghcr.io/owner/img:v1@", "invalid digest", ""));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("invalid")
  void parse_invalidReference_isRejectedWithReason(String input, String reason, String part) {
    InvalidReferenceException e =
        assertThrows(InvalidReferenceException.class, () -> ImageReference.parse(input));
    assertEquals(input, e.input());
    assertTrue(
        e.reason().contains(reason), () -> "reason '" + e.reason() + "' lacks '" + reason + "'");
    if (!part.isEmpty()) {
      assertEquals(Optional.of(part), e.offendingPart(), e.getMessage());
      if (!part.equals(input)) {
        assertTrue(e.getMessage().endsWith(" → " + part), e.getMessage());
      }
    }
  }

  @Test
  void parse_uppercaseRepository_messageNamesTheComponent() {
    InvalidReferenceException e =
        assertThrows(
            InvalidReferenceException.class, () -> ImageReference.parse("Ghcr.io/OWNER/img"));
    assertEquals("repository name must be lowercase: Ghcr.io/OWNER/img → OWNER", e.getMessage());
  }

  @Test
  void withDigest_keepsTagAndAddsDigest() {
    ImageReference ref = ImageReference.parse("ruby:3.3.0-slim");
    Digest d = Digest.parse(SHA);
    ImageReference pinned = ref.withDigest(d);
    assertEquals("docker.io/library/ruby:3.3.0-slim@" + SHA, pinned.toString());
    assertEquals("ruby:3.3.0-slim@" + SHA, pinned.familiar());
    assertEquals(ref, pinned.withoutDigest());
    assertEquals("docker.io/library/ruby@" + SHA, pinned.withoutTag().toString());
  }

  @Test
  void withTag_validatesTheTag() {
    ImageReference ref = ImageReference.parse("test.com:8000/foo");
    assertEquals("test.com:8000/foo:TAG5", ref.withTag("TAG5").toString());
    assertThrows(InvalidReferenceException.class, () -> ref.withTag("-foo"));
  }

  @Test
  void parse_noTag_addsNoDefault() {
    assertEquals(Optional.empty(), ImageReference.parse("ruby").tag());
  }

  @Test
  void equals_comparesAllParts() {
    assertEquals(ImageReference.parse("ruby"), ImageReference.parse("docker.io/library/ruby"));
    assertEquals(
        ImageReference.parse("ruby").hashCode(),
        ImageReference.parse("index.docker.io/library/ruby").hashCode());
    assertTrue(!ImageReference.parse("ruby:1").equals(ImageReference.parse("ruby:2")));
  }
}
