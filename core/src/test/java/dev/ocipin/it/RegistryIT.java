package dev.ocipin.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.Digest;
import dev.ocipin.DigestResolver;
import dev.ocipin.ImageReference;
import dev.ocipin.NoMatchingPlatformException;
import dev.ocipin.Platform;
import dev.ocipin.ResolvedIndex;
import dev.ocipin.ResolvedManifest;
import dev.ocipin.TestResolvers;
import dev.ocipin.auth.Credential;
import dev.ocipin.auth.CredentialChain;
import dev.ocipin.auth.StaticCredentials;
import dev.ocipin.model.MediaType;
import dev.ocipin.registry.AuthenticationException;
import dev.ocipin.registry.ManifestNotFoundException;
import dev.ocipin.registry.RequestEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Resolution against the real CNCF distribution registry on 127.0.0.1, in its three auth modes. */
class RegistryIT {
  private static final String BASIC =
      "Basic "
          + Base64.getEncoder()
              .encodeToString(
                  (RegistryServer.USER + ":" + RegistryServer.PASSWORD)
                      .getBytes(StandardCharsets.UTF_8));

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Anonymous {
    private Path dir;
    private RegistryServer registry;
    private Fixtures.Pushed ruby;
    private Fixtures.Pushed list;
    private Fixtures.Pushed single;

    @BeforeAll
    void start() throws Exception {
      dir = Files.createTempDirectory("ocipin-it-anon");
      registry = RegistryServer.anonymous(dir);
      Pusher p = new Pusher(registry.host(), repo -> null);
      ruby = Fixtures.dockerHubIndex(p, "library/ruby", "3.3.0-slim", "one");
      list = Fixtures.dockerManifestList(p, "library/alpine", "3.19");
      single = Fixtures.singleManifest(p, "team/app", "1.0", "amd64");
    }

    @AfterAll
    void stop() throws Exception {
      registry.close();
    }

    private DigestResolver resolver() {
      return TestResolvers.plainHttp().credentials(CredentialChain.of()).build();
    }

    @Test
    void resolveIndex_dockerHubShape() throws Exception {
      ResolvedIndex idx = resolver().resolveIndex(registry.host() + "/library/ruby:3.3.0-slim");
      assertEquals(ruby.index(), idx.digest());
      assertEquals(MediaType.OCI_INDEX, idx.mediaType());
      assertEquals(8, idx.images().size());
      assertEquals(8, idx.attestations().size());
      assertEquals(
          registry.host() + "/library/ruby:3.3.0-slim@" + ruby.index(), idx.pinned().toString());
    }

    @Test
    void digest_headEqualsTheIndexDigest() throws Exception {
      assertEquals(ruby.index(), resolver().digest(registry.host() + "/library/ruby:3.3.0-slim"));
      assertEquals(list.index(), resolver().digest(registry.host() + "/library/alpine:3.19"));
    }

    @Test
    void resolve_platform_choosesThePushedChild() throws Exception {
      DigestResolver r = resolver();
      ResolvedManifest arm64 =
          r.resolve(registry.host() + "/library/ruby:3.3.0-slim", Platform.parse("linux/arm64"));
      assertEquals(ruby.children().get("linux/arm64/v8"), arm64.digest());
      assertEquals(ruby.index(), arm64.indexDigest().orElseThrow());
      ResolvedManifest armv6 =
          r.resolve(registry.host() + "/library/ruby:3.3.0-slim", Platform.parse("linux/arm/v6"));
      assertEquals(ruby.children().get("linux/arm/v5"), armv6.digest());
      assertThrows(
          NoMatchingPlatformException.class,
          () ->
              r.resolve(
                  registry.host() + "/library/ruby:3.3.0-slim", Platform.parse("linux/riscv64")));
    }

    @Test
    void dockerManifestList_resolves() throws Exception {
      ResolvedIndex idx = resolver().resolveIndex(registry.host() + "/library/alpine:3.19");
      assertEquals(list.index(), idx.digest());
      assertEquals(MediaType.DOCKER_MANIFEST_LIST, idx.mediaType());
      assertEquals(0, idx.attestations().size());
    }

    @Test
    void singleManifest_isNotAnIndex_andItsPlatformComesFromTheConfig() throws Exception {
      DigestResolver r = resolver();
      ResolvedIndex idx = r.resolveIndex(registry.host() + "/team/app:1.0");
      assertFalse(idx.isIndex());
      assertEquals(single.index(), idx.digest());
      assertEquals(
          single.index(),
          r.resolve(registry.host() + "/team/app:1.0", Platform.parse("linux/amd64")).digest());
      assertThrows(
          NoMatchingPlatformException.class,
          () -> r.resolve(registry.host() + "/team/app:1.0", Platform.parse("linux/arm64")));
    }

    @Test
    void digestReference_isVerifiedAgainstTheRegistry() throws Exception {
      ResolvedIndex idx =
          resolver().resolveIndex(registry.host() + "/library/ruby:3.3.0-slim@" + ruby.index());
      assertEquals(ruby.index(), idx.digest());
    }

    @Test
    void unknownTagAndRepository_areNotFound() {
      ManifestNotFoundException tag =
          assertThrows(
              ManifestNotFoundException.class,
              () -> resolver().resolveIndex(registry.host() + "/library/ruby:nope"));
      assertEquals("MANIFEST_UNKNOWN", tag.errors().get(0).code());
      ManifestNotFoundException repo =
          assertThrows(
              ManifestNotFoundException.class,
              () -> resolver().digest(registry.host() + "/nobody/here:1"));
      assertTrue(repo.getMessage().contains("nobody/here:1"), repo.getMessage());
    }

    @Test
    void withoutIndexTypesInAccept_theRegistryAnswersADifferentDigest() throws Exception {
      // Why the Accept header matters: distribution 2.8 will not serve the OCI index without the
      // index type, and converts a manifest list to its amd64 child for an Accept without it.
      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<Void> noIndexTypes =
          client.send(
              HttpRequest.newBuilder(
                      URI.create("http://" + registry.host() + "/v2/library/alpine/manifests/3.19"))
                  .method("HEAD", HttpRequest.BodyPublishers.noBody())
                  .header("Accept", Fixtures.DOCKER_V2)
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      String served = noIndexTypes.headers().firstValue("Docker-Content-Digest").orElse("");
      assertFalse(served.equals(list.index().toString()), "a per-platform digest, not the list's");
      assertEquals(list.index(), resolver().digest(registry.host() + "/library/alpine:3.19"));
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class HtpasswdBasic {
    private RegistryServer registry;
    private Fixtures.Pushed ruby;

    @BeforeAll
    void start() throws Exception {
      registry = RegistryServer.htpasswd(Files.createTempDirectory("ocipin-it-basic"));
      ruby =
          Fixtures.dockerHubIndex(
              new Pusher(registry.host(), repo -> BASIC), "library/ruby", "3.3.0-slim", "basic");
    }

    @AfterAll
    void stop() throws Exception {
      registry.close();
    }

    @Test
    void rightPassword_resolves_withTheChallengeOnce() throws Exception {
      List<RequestEvent> events = new CopyOnWriteArrayList<>();
      DigestResolver r =
          TestResolvers.plainHttp()
              .credentials(
                  StaticCredentials.of(
                      registry.host(),
                      Credential.basic(RegistryServer.USER, RegistryServer.PASSWORD)))
              .listener(events::add)
              .build();
      assertEquals(ruby.index(), r.digest(registry.host() + "/library/ruby:3.3.0-slim"));
      assertEquals(List.of(401, 200), events.stream().map(RequestEvent::status).toList());
      assertEquals(
          ruby.index(), r.resolveIndex(registry.host() + "/library/ruby:3.3.0-slim").digest());
      assertEquals(
          3, events.size(), "Basic credentials go with every request once the challenge is known");
    }

    @Test
    void wrongPassword_isAnAuthenticationErrorWithoutTheSecret() {
      DigestResolver r =
          TestResolvers.plainHttp()
              .credentials(
                  StaticCredentials.of(
                      registry.host(), Credential.basic(RegistryServer.USER, "wrong-password-123")))
              .build();
      AuthenticationException e =
          assertThrows(
              AuthenticationException.class,
              () -> r.digest(registry.host() + "/library/ruby:3.3.0-slim"));
      assertTrue(
          e.getMessage().contains("static credentials for " + registry.host()), e.getMessage());
      assertFalse(e.getMessage().contains("wrong-password-123"));
    }

    @Test
    void noCredentials_isAnAuthenticationError() {
      DigestResolver r = TestResolvers.plainHttp().credentials(CredentialChain.of()).build();
      assertThrows(
          AuthenticationException.class,
          () -> r.digest(registry.host() + "/library/ruby:3.3.0-slim"));
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class TokenAuth {
    private TokenIssuer issuer;
    private RegistryServer registry;
    private Fixtures.Pushed ruby;
    private Fixtures.Pushed alpine;

    @BeforeAll
    void start() throws Exception {
      RegistryServer.binary();
      Path dir = Files.createTempDirectory("ocipin-it-token");
      issuer = TokenIssuer.start(dir);
      registry = RegistryServer.token(dir, issuer);
      Pusher p =
          new Pusher(
              registry.host(),
              repo -> "Bearer " + issuer.mint(List.of("repository:" + repo + ":pull,push")));
      ruby = Fixtures.dockerHubIndex(p, "library/ruby", "3.3.0-slim", "token");
      alpine = Fixtures.dockerManifestList(p, "library/alpine", "3.19");
    }

    @AfterAll
    void stop() throws Exception {
      registry.close();
      issuer.close();
    }

    @Test
    void digest_coldThreeRequests_warmOne() throws Exception {
      List<RequestEvent> events = new CopyOnWriteArrayList<>();
      DigestResolver r =
          TestResolvers.plainHttp().credentials(CredentialChain.of()).listener(events::add).build();
      int tokensBefore = issuer.requests();

      assertEquals(ruby.index(), r.digest(registry.host() + "/library/ruby:3.3.0-slim"));
      assertEquals(
          List.of("HEAD 401", "GET 200", "HEAD 200"),
          events.stream().map(e -> e.method() + " " + e.status()).toList());
      assertEquals(1, issuer.requests() - tokensBefore);
      assertTrue(
          issuer
              .queries()
              .get(issuer.queries().size() - 1)
              .contains("scope=repository%3Alibrary%2Fruby%3Apull"));

      assertEquals(ruby.index(), r.digest(registry.host() + "/library/ruby:3.3.0-slim"));
      assertEquals(4, events.size(), "a warm digest is one HEAD");
      assertEquals("HEAD", events.get(3).method());

      // Another repository on the same registry: the challenge is known, so token + HEAD.
      assertEquals(alpine.index(), r.digest(registry.host() + "/library/alpine:3.19"));
      assertEquals(6, events.size());
    }

    @Test
    void tokenServiceRequiringCredentials_getsThemFromTheChain() throws Exception {
      issuer.requireBasic();
      try {
        DigestResolver ok =
            TestResolvers.plainHttp()
                .credentials(
                    StaticCredentials.of(
                        registry.host(),
                        Credential.basic(RegistryServer.USER, RegistryServer.PASSWORD)))
                .build();
        assertEquals(
            ruby.index(), ok.resolveIndex(registry.host() + "/library/ruby:3.3.0-slim").digest());
        DigestResolver anonymous =
            TestResolvers.plainHttp().credentials(CredentialChain.of()).build();
        AuthenticationException e =
            assertThrows(
                AuthenticationException.class,
                () -> anonymous.digest(registry.host() + "/library/ruby:3.3.0-slim"));
        assertTrue(e.getMessage().contains("refused the token request"), e.getMessage());
      } finally {
        issuer.requireBasicOff();
      }
    }

    @Test
    void resolveAll_coldBatch_mergesScopesIntoFewTokenRequests() throws Exception {
      Pusher p =
          new Pusher(
              registry.host(),
              repo -> "Bearer " + issuer.mint(List.of("repository:" + repo + ":pull,push")));
      int n = 23;
      List<String> refs = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        Fixtures.singleManifest(p, "batch/svc" + i, "1", "amd64");
        refs.add(registry.host() + "/batch/svc" + i + ":1");
      }
      List<RequestEvent> events = new CopyOnWriteArrayList<>();
      int tokensBefore = issuer.requests();
      DigestResolver r =
          TestResolvers.plainHttp().credentials(CredentialChain.of()).listener(events::add).build();
      var results = r.resolveAll(refs);
      assertTrue(
          results.stream().allMatch(dev.ocipin.ResolveResult::isSuccess), results.toString());
      // n manifests + ceil(23/10) = 3 token requests + 1 request to learn the challenge.
      assertEquals(n + 3 + 1, events.size());
      assertEquals(3, issuer.requests() - tokensBefore);
      List<String> queries = issuer.queries();
      List<Integer> scopes =
          queries.subList(queries.size() - 3, queries.size()).stream()
              .map(q -> q.split("scope=").length - 1)
              .sorted()
              .toList();
      assertEquals(List.of(3, 10, 10), scopes, "the issuer got up to 10 scopes per request");
      // Warm: one HEAD per tag.
      r.resolveAll(refs);
      assertEquals(n + 3 + 1 + n, events.size());
    }

    @Test
    void resolveAll_mixedBatch() throws Exception {
      DigestResolver r = TestResolvers.plainHttp().credentials(CredentialChain.of()).build();
      var results =
          r.resolveAll(
              List.of(
                  registry.host() + "/library/ruby:3.3.0-slim",
                  registry.host() + "/library/alpine:3.19",
                  registry.host() + "/library/ruby:missing"));
      assertEquals(ruby.index(), results.get(0).resolved().orElseThrow().digest());
      assertEquals(alpine.index(), results.get(1).resolved().orElseThrow().digest());
      assertTrue(results.get(2).error().orElseThrow() instanceof ManifestNotFoundException);
      assertEquals(
          ImageReference.parse(registry.host() + "/library/alpine:3.19").withDigest(alpine.index()),
          results.get(1).resolved().orElseThrow().pinned());
      Digest unused = ruby.index();
      assertTrue(unused.toString().startsWith("sha256:"));
    }
  }
}
