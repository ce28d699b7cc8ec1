package dev.ocipin.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CredentialChainTest {
  private static final String SECRET = "s3cr3t-Pa55:with:colons";
  private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.refresh-token-value-0123456789";

  @TempDir Path home;
  @TempDir Path bin;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void setUp() {
    // Helpers run with exactly this environment; the fakes need sh, cat and sleep.
    env.put("PATH", bin + ":/usr/bin:/bin");
  }

  private CredentialChain chain() {
    return CredentialChain.builder()
        .environment(env)
        .homeDirectory(home)
        .helperTimeout(Duration.ofSeconds(10))
        .build();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private Path write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }

  private Path dockerConfig(String json) throws IOException {
    return write(home.resolve(".docker/config.json"), json);
  }

  /** Writes a fake docker-credential-NAME script into the PATH directory. */
  private Path helper(String name, String body) throws IOException {
    Path script = bin.resolve("docker-credential-" + name);
    Files.writeString(script, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  private static Credential.Basic basic(Optional<Credential> c) {
    return assertInstanceOf(Credential.Basic.class, c.orElseThrow());
  }

  @Test
  void noConfiguration_answersAnonymous() throws Exception {
    CredentialChain chain = chain();
    assertTrue(chain.credentialFor("ghcr.io", "owner/img").orElseThrow().isAnonymous());
    String described = chain.describe("ghcr.io", "owner/img").orElseThrow();
    assertTrue(described.startsWith("anonymous (no credentials for ghcr.io in "), described);
    assertTrue(described.contains(home.resolve(".docker/config.json").toString()), described);
  }

  @Test
  void defaultChain_onThisMachine_doesNotFail() throws Exception {
    assertTrue(CredentialChain.defaultChain().credentialFor("localhost:1", "x").isPresent());
  }

  @Test
  void auths_base64PasswordMayContainColons() throws Exception {
    dockerConfig("{\"auths\":{\"ghcr.io\":{\"auth\":\"" + b64("octo:" + SECRET) + "\"}}}");
    Credential.Basic c = basic(chain().credentialFor("ghcr.io", "owner/img"));
    assertEquals("octo", c.username());
    assertEquals(SECRET, c.password());
    assertEquals(
        Optional.of("auths[ghcr.io] in " + home.resolve(".docker/config.json")),
        chain().describe("ghcr.io", "owner/img"));
  }

  @Test
  void auths_separateUsernameAndPassword() throws Exception {
    dockerConfig(
        "{\"auths\":{\"r.example\":{\"username\":\"u\",\"password\":\"" + SECRET + "\"}}}");
    assertEquals(SECRET, basic(chain().credentialFor("r.example", "a")).password());
  }

  @Test
  void auths_identityTokenAndRegistryToken() throws Exception {
    dockerConfig(
        "{\"auths\":{"
            + "\"a.example\":{\"auth\":\""
            + b64("<token>:")
            + "\",\"identitytoken\":\""
            + TOKEN
            + "\"},"
            + "\"b.example\":{\"registrytoken\":\""
            + TOKEN
            + "\"}}}");
    assertEquals(
        new Credential.IdentityToken(TOKEN), chain().credentialFor("a.example", "x").orElseThrow());
    assertEquals(
        new Credential.RegistryToken(TOKEN), chain().credentialFor("b.example", "x").orElseThrow());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"docker.io", "index.docker.io", "registry-1.docker.io", "registry.docker.com"})
  void dockerHub_everyAliasFindsTheIndexKey(String registry) throws Exception {
    dockerConfig(
        "{\"auths\":{"
            + "\"docker.io\":{\"auth\":\""
            + b64("second:x")
            + "\"},"
            + "\"https://index.docker.io/v1/\":{\"auth\":\""
            + b64("first:" + SECRET)
            + "\"}}}");
    assertEquals("first", basic(chain().credentialFor(registry, "library/ruby")).username());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "docker.io",
        "index.docker.io",
        "registry-1.docker.io",
        "https://registry-1.docker.io"
      })
  void dockerHub_otherKeySpellingsAreFound(String key) throws Exception {
    dockerConfig("{\"auths\":{\"" + key + "\":{\"auth\":\"" + b64("hub:" + SECRET) + "\"}}}");
    assertEquals("hub", basic(chain().credentialFor("docker.io", "library/ruby")).username());
  }

  @Test
  void keysWithSchemeOrPath_matchTheHost_exactKeyFirst() throws Exception {
    dockerConfig(
        "{\"auths\":{"
            + "\"http://localhost:5000/v2/\":{\"auth\":\""
            + b64("scheme:x")
            + "\"},"
            + "\"https://other:5000\":{\"auth\":\""
            + b64("other:x")
            + "\"}}}");
    assertEquals("scheme", basic(chain().credentialFor("localhost:5000", "a")).username());
    dockerConfig(
        "{\"auths\":{"
            + "\"http://localhost:5000\":{\"auth\":\""
            + b64("scheme:x")
            + "\"},"
            + "\"localhost:5000\":{\"auth\":\""
            + b64("exact:x")
            + "\"}}}");
    assertEquals("exact", basic(chain().credentialFor("localhost:5000", "a")).username());
    assertTrue(chain().credentialFor("localhost:5001", "a").orElseThrow().isAnonymous());
  }

  @Test
  void dockerAuthConfig_comesFirst() throws Exception {
    dockerConfig("{\"auths\":{\"ghcr.io\":{\"auth\":\"" + b64("file:x") + "\"}}}");
    env.put(
        "DOCKER_AUTH_CONFIG",
        "{\"auths\":{\"ghcr.io\":{\"auth\":\"" + b64("ci:" + SECRET) + "\"}}}");
    assertEquals("ci", basic(chain().credentialFor("ghcr.io", "a")).username());
    assertEquals(
        Optional.of("auths[ghcr.io] in DOCKER_AUTH_CONFIG"), chain().describe("ghcr.io", "a"));
  }

  @Test
  void dockerConfigVariable_replacesTheHomeLocation() throws Exception {
    dockerConfig("{\"auths\":{\"ghcr.io\":{\"auth\":\"" + b64("home:x") + "\"}}}");
    Path dir = home.resolve("elsewhere");
    write(
        dir.resolve("config.json"),
        "{\"auths\":{\"ghcr.io\":{\"auth\":\"" + b64("env:x") + "\"}}}");
    env.put("DOCKER_CONFIG", dir.toString());
    assertEquals("env", basic(chain().credentialFor("ghcr.io", "a")).username());
  }

  @Test
  void credHelpers_thenCredsStore_thenAuths() throws Exception {
    helper(
        "specific",
        "cat >/dev/null; echo '{\"ServerURL\":\"ghcr.io\",\"Username\":\"specific\",\"Secret\":\""
            + SECRET
            + "\"}'");
    helper(
        "store",
        "cat >/dev/null; echo '{\"ServerURL\":\"x\",\"Username\":\"store\",\"Secret\":\""
            + SECRET
            + "\"}'");
    dockerConfig(
        "{\"credHelpers\":{\"ghcr.io\":\"specific\"},\"credsStore\":\"store\","
            + "\"auths\":{\"ghcr.io\":{\"auth\":\""
            + b64("auths:x")
            + "\"},\"quay.io\":{}}}");
    CredentialChain chain = chain();
    assertEquals("specific", basic(chain.credentialFor("ghcr.io", "a")).username());
    assertEquals("store", basic(chain.credentialFor("quay.io", "a")).username());
    assertEquals(
        Optional.of(
            "credHelpers[ghcr.io] (docker-credential-specific) in "
                + home.resolve(".docker/config.json")),
        chain.describe("ghcr.io", "a"));
    assertEquals(
        Optional.of(
            "credsStore (docker-credential-store) in " + home.resolve(".docker/config.json")),
        chain.describe("quay.io", "a"));
  }

  @Test
  void helper_notFoundInKeychain_fallsThroughToAuths() throws Exception {
    helper("desktop", "cat >/dev/null; echo 'credentials not found in native keychain'; exit 1");
    dockerConfig(
        "{\"credsStore\":\"desktop\",\"auths\":{\"ghcr.io\":{\"auth\":\""
            + b64("auths:x")
            + "\"}}}");
    assertEquals("auths", basic(chain().credentialFor("ghcr.io", "a")).username());
    assertTrue(chain().credentialFor("public.example", "a").orElseThrow().isAnonymous());
  }

  @Test
  void helper_missingBinary_fallsThrough() throws Exception {
    dockerConfig(
        "{\"credHelpers\":{\"ghcr.io\":\"not-installed\"},"
            + "\"auths\":{\"ghcr.io\":{\"auth\":\""
            + b64("auths:x")
            + "\"}}}");
    assertEquals("auths", basic(chain().credentialFor("ghcr.io", "a")).username());
  }

  @Test
  void helper_receivesServerUrlOnStdin_dockerHubAsIndexUrl() throws Exception {
    Path seen = home.resolve("stdin.txt");
    helper("rec", "cat > '" + seen + "'; echo '{\"Username\":\"u\",\"Secret\":\"p\"}'");
    dockerConfig("{\"credsStore\":\"rec\"}");
    chain().credentialFor("registry-1.docker.io", "library/ruby");
    assertEquals("https://index.docker.io/v1/", Files.readString(seen));
    chain().credentialFor("localhost:5000", "a");
    assertEquals("localhost:5000", Files.readString(seen));
  }

  @Test
  void helper_tokenUsername_isAnIdentityToken() throws Exception {
    helper(
        "tok",
        "cat >/dev/null; echo '{\"ServerURL\":\"x\",\"Username\":\"<token>\",\"Secret\":\""
            + TOKEN
            + "\"}'");
    dockerConfig("{\"credHelpers\":{\"ghcr.io\":\"tok\"}}");
    assertEquals(
        new Credential.IdentityToken(TOKEN), chain().credentialFor("ghcr.io", "a").orElseThrow());
  }

  @Test
  void helper_failure_typedErrorWithoutSecrets() throws Exception {
    helper(
        "broken",
        "cat >/dev/null; echo 'error: token "
            + TOKEN
            + " rejected password="
            + SECRET
            + "'; echo 'stderr "
            + SECRET
            + "' >&2; exit 3");
    dockerConfig("{\"credHelpers\":{\"ghcr.io\":\"broken\"}}");
    CredentialHelperException e =
        assertThrows(CredentialHelperException.class, () -> chain().credentialFor("ghcr.io", "a"));
    assertEquals("docker-credential-broken", e.helper());
    assertEquals(3, e.exitCode().getAsInt());
    assertTrue(
        e.getMessage().startsWith("docker-credential-broken get exited with code 3: error:"),
        e.getMessage());
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    assertFalse(e.getMessage().contains(TOKEN), e.getMessage());
    assertFalse(e.getMessage().contains("stderr"), e.getMessage());
  }

  @Test
  void helper_notJson_isAnError() throws Exception {
    helper("text", "cat >/dev/null; echo 'hello'");
    dockerConfig("{\"credHelpers\":{\"ghcr.io\":\"text\"}}");
    CredentialHelperException e =
        assertThrows(CredentialHelperException.class, () -> chain().credentialFor("ghcr.io", "a"));
    assertTrue(e.getMessage().contains("did not print a JSON object"), e.getMessage());
  }

  @Test
  void helper_timeout_killsAndFails() throws Exception {
    helper("slow", "sleep 30");
    dockerConfig("{\"credHelpers\":{\"ghcr.io\":\"slow\"}}");
    CredentialChain chain =
        CredentialChain.builder()
            .environment(env)
            .homeDirectory(home)
            .helperTimeout(Duration.ofMillis(300))
            .build();
    long start = System.nanoTime();
    CredentialHelperException e =
        assertThrows(CredentialHelperException.class, () -> chain.credentialFor("ghcr.io", "a"));
    assertTrue(e.getMessage().contains("did not answer within 300 ms"), e.getMessage());
    assertTrue(e.exitCode().isEmpty());
    // Not a timing assertion on our code: the helper sleeps 30 s, so not waiting for it proves the
    // kill.
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 25);
  }

  @Test
  void helper_runsOncePerRegistry_evenConcurrently() throws Exception {
    Path count = home.resolve("count");
    helper(
        "counted",
        "cat >/dev/null; echo x >> '"
            + count
            + "'; sleep 0.2; echo '{\"Username\":\"u\",\"Secret\":\"p\"}'");
    dockerConfig("{\"credsStore\":\"counted\"}");
    CredentialChain chain = chain();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Optional<Credential>>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return chain.credentialFor("ghcr.io", "a");
                }));
      }
      go.countDown();
      for (Future<Optional<Credential>> f : results) {
        assertEquals("u", basic(f.get()).username());
      }
    } finally {
      pool.shutdownNow();
    }
    chain.credentialFor("ghcr.io", "other/repo");
    assertEquals(1, Files.readAllLines(count).size());
    chain.credentialFor("quay.io", "a");
    assertEquals(2, Files.readAllLines(count).size());
  }

  @Test
  void helper_cacheTtl_runsAgainAfterExpiry() throws Exception {
    Path count = home.resolve("count");
    helper(
        "counted",
        "cat >/dev/null; echo x >> '" + count + "'; echo '{\"Username\":\"u\",\"Secret\":\"p\"}'");
    dockerConfig("{\"credsStore\":\"counted\"}");
    MutableClock clock = new MutableClock();
    CredentialChain chain =
        CredentialChain.builder()
            .environment(env)
            .homeDirectory(home)
            .helperCacheTtl(Duration.ofMinutes(5))
            .clock(clock)
            .build();
    chain.credentialFor("ghcr.io", "a");
    clock.now = clock.now.plus(Duration.ofMinutes(4));
    chain.credentialFor("ghcr.io", "a");
    assertEquals(1, Files.readAllLines(count).size());
    clock.now = clock.now.plus(Duration.ofMinutes(2));
    chain.credentialFor("ghcr.io", "a");
    assertEquals(2, Files.readAllLines(count).size());
  }

  @Test
  void authJson_orderOfFiles() throws Exception {
    Path authFile = write(home.resolve("explicit.json"), authJson("quay.io", "explicit"));
    Path runtime = home.resolve("run");
    write(runtime.resolve("containers/auth.json"), authJson("quay.io", "runtime"));
    write(home.resolve(".config/containers/auth.json"), authJson("quay.io", "config"));
    assertEquals("config", basic(chain().credentialFor("quay.io", "a/b")).username());
    env.put("XDG_RUNTIME_DIR", runtime.toString());
    assertEquals("runtime", basic(chain().credentialFor("quay.io", "a/b")).username());
    env.put("REGISTRY_AUTH_FILE", authFile.toString());
    assertEquals("explicit", basic(chain().credentialFor("quay.io", "a/b")).username());
    assertEquals(Optional.of("auths[quay.io] in " + authFile), chain().describe("quay.io", "a/b"));
  }

  @Test
  void authJson_xdgConfigHome_replacesDotConfig() throws Exception {
    write(home.resolve(".config/containers/auth.json"), authJson("quay.io", "dotconfig"));
    Path xdg = home.resolve("xdg");
    write(xdg.resolve("containers/auth.json"), authJson("quay.io", "xdg"));
    env.put("XDG_CONFIG_HOME", xdg.toString());
    assertEquals("xdg", basic(chain().credentialFor("quay.io", "a")).username());
  }

  @Test
  void authJson_mostSpecificNamespaceKeyWins() throws Exception {
    write(
        home.resolve(".config/containers/auth.json"),
        "{\"auths\":{"
            + "\"quay.io\":{\"auth\":\""
            + b64("registry:x")
            + "\"},"
            + "\"quay.io/team\":{\"auth\":\""
            + b64("team:x")
            + "\"},"
            + "\"quay.io/team/app\":{\"auth\":\""
            + b64("app:x")
            + "\"},"
            + "\"docker.io/library\":{\"auth\":\""
            + b64("official:x")
            + "\"}}}");
    CredentialChain chain = chain();
    assertEquals("app", basic(chain.credentialFor("quay.io", "team/app")).username());
    assertEquals("team", basic(chain.credentialFor("quay.io", "team/other")).username());
    assertEquals("registry", basic(chain.credentialFor("quay.io", "elsewhere/x")).username());
    assertEquals(
        "official", basic(chain.credentialFor("registry-1.docker.io", "library/ruby")).username());
  }

  @Test
  void authJson_credHelpersBeforeAuths() throws Exception {
    helper("podhelper", "cat >/dev/null; echo '{\"Username\":\"helped\",\"Secret\":\"p\"}'");
    write(
        home.resolve(".config/containers/auth.json"),
        "{\"credHelpers\":{\"quay.io\":\"podhelper\"},\"auths\":{\"quay.io\":{\"auth\":\""
            + b64("auths:x")
            + "\"}}}");
    assertEquals("helped", basic(chain().credentialFor("quay.io", "a")).username());
  }

  @Test
  void dockerConfig_beforeAuthJson() throws Exception {
    dockerConfig("{\"auths\":{\"quay.io\":{\"auth\":\"" + b64("docker:x") + "\"}}}");
    write(home.resolve(".config/containers/auth.json"), authJson("quay.io", "podman"));
    assertEquals("docker", basic(chain().credentialFor("quay.io", "a")).username());
  }

  @Test
  void malformedConfig_warnsOnce_andTheNextSourcesAnswer_neverQuotingTheSecret() throws Exception {
    Path file =
        dockerConfig("{\"auths\":{\"ghcr.io\":{\"auth\":\"" + b64("u:" + SECRET) + "\"}},,}");
    write(
        home.resolve(".config/containers/auth.json"),
        "{\"auths\":{\"quay.io\":{\"auth\":\"" + b64("podman:pw") + "\"}}}");
    List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler capture =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord r) {
            warnings.add(java.text.MessageFormat.format(r.getMessage(), r.getParameters()));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger("dev.ocipin.auth");
    logger.addHandler(capture);
    try {
      CredentialChain chain = chain();
      // A public image: anonymous, as the docker CLI carries on past a broken config.
      assertEquals(Optional.of(Credential.anonymous()), chain.credentialFor("ghcr.io", "a"));
      // The next source still answers for its registry.
      assertEquals("podman", basic(chain.credentialFor("quay.io", "a")).username());
      chain.credentialFor("docker.io", "library/ruby");

      assertEquals(1, warnings.size(), warnings.toString());
      assertTrue(
          warnings.get(0).startsWith("ignoring " + file + " is not valid JSON at line 1, column"),
          warnings.get(0));
      String described = chain.describe("ghcr.io", "a").orElseThrow();
      assertTrue(described.contains(file + " (ignored: " + file + " is not valid JSON"), described);
      for (String s : List.of(warnings.get(0), described)) {
        assertFalse(s.contains(b64("u:" + SECRET)), s);
      }
    } finally {
      logger.removeHandler(capture);
    }
  }

  @Test
  void home_isDollarHome_beforeUserHome_andTheRefusalSaysWhich(@TempDir Path ciHome)
      throws Exception {
    write(
        ciHome.resolve(".docker/config.json"),
        "{\"auths\":{\"ghcr.io\":{\"auth\":\"" + b64("ci-user:" + SECRET) + "\"}}}");
    env.put("HOME", ciHome.toString());
    CredentialChain chain =
        CredentialChain.builder().environment(env).helperTimeout(Duration.ofSeconds(10)).build();
    assertEquals("ci-user", basic(chain.credentialFor("ghcr.io", "a")).username());
    String anonymous = chain.describe("quay.io", "a").orElseThrow();
    assertTrue(anonymous.contains("; home directory " + ciHome + " (from $HOME)"), anonymous);

    env.remove("HOME");
    String fallback =
        CredentialChain.builder().environment(env).build().describe("quay.io", "a").orElseThrow();
    assertTrue(fallback.contains("(from the JVM's user.home, as $HOME is not set)"), fallback);
  }

  @Test
  void badBase64_namesTheKey_neverTheSecret() throws Exception {
    Path file = dockerConfig("{\"auths\":{\"ghcr.io\":{\"auth\":\"" + SECRET + "!!\"}}}");
    CredentialException e =
        assertThrows(CredentialException.class, () -> chain().credentialFor("ghcr.io", "a"));
    assertEquals(
        file
            + ": auths[\"ghcr.io\"].auth is not valid base64; run `docker login` again or fix the file",
        e.getMessage());
    Path noColon = dockerConfig("{\"auths\":{\"ghcr.io\":{\"auth\":\"" + b64("nocolon") + "\"}}}");
    CredentialException e2 =
        assertThrows(CredentialException.class, () -> chain().credentialFor("ghcr.io", "a"));
    assertTrue(e2.getMessage().startsWith(noColon + ": auths[\"ghcr.io\"].auth must decode"));
  }

  @Test
  void emptyConfigFile_isNoCredentials() throws Exception {
    dockerConfig("");
    assertTrue(chain().credentialFor("ghcr.io", "a").orElseThrow().isAnonymous());
  }

  @Test
  void staticCredentials_first() throws Exception {
    dockerConfig("{\"auths\":{\"ghcr.io\":{\"auth\":\"" + b64("file:x") + "\"}}}");
    CredentialChain chain =
        CredentialChain.builder()
            .environment(env)
            .homeDirectory(home)
            .first(StaticCredentials.of("ghcr.io", Credential.basic("bot", SECRET)))
            .build();
    assertEquals("bot", basic(chain.credentialFor("ghcr.io", "a")).username());
    assertEquals("bot", basic(chain.credentialFor("GHCR.io", "a")).username());
    assertTrue(chain.credentialFor("quay.io", "a").orElseThrow().isAnonymous());
    assertEquals(Optional.of("static credentials for ghcr.io"), chain.describe("ghcr.io", "a"));
    assertEquals(
        "bot",
        basic(
                StaticCredentials.of("index.docker.io", Credential.basic("bot", "x"))
                    .credentialFor("docker.io", "a"))
            .username());
  }

  @Test
  void chainOf_customProviders_firstAnswerWins_emptyWhenNone() throws Exception {
    CredentialProvider none = (r, p) -> Optional.empty();
    CredentialProvider mine =
        (r, p) ->
            r.equals("mine.example")
                ? Optional.of(Credential.registryToken(TOKEN))
                : Optional.empty();
    CredentialChain chain = CredentialChain.of(none, mine);
    assertEquals(
        Optional.of(Credential.registryToken(TOKEN)), chain.credentialFor("mine.example", "x"));
    assertEquals(Optional.empty(), chain.credentialFor("other.example", "x"));
  }

  @Test
  void builder_optionSetTwice_failsNamingTheValue() {
    CredentialChain.Builder b = CredentialChain.builder().helperTimeout(Duration.ofSeconds(5));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> b.helperTimeout(Duration.ofSeconds(6)));
    assertEquals("helper timeout was already set to PT5S", e.getMessage());
  }

  @Test
  void toString_neverShowsSecrets() throws Exception {
    List<Credential> all =
        List.of(
            Credential.basic("user", SECRET),
            Credential.identityToken(TOKEN),
            Credential.registryToken(TOKEN),
            Credential.anonymous());
    for (Credential c : all) {
      assertFalse(c.toString().contains(SECRET), c.toString());
      assertFalse(c.toString().contains(TOKEN), c.toString());
    }
    assertEquals("basic(username=user, password=<redacted>)", all.get(0).toString());
    env.put(
        "DOCKER_AUTH_CONFIG",
        "{\"auths\":{\"ghcr.io\":{\"auth\":\"" + b64("u:" + SECRET) + "\"}}}");
    CredentialChain chain = chain();
    assertFalse(chain.toString().contains(SECRET));
    assertFalse(chain.describe("ghcr.io", "a").orElseThrow().contains(SECRET));
  }

  private static String authJson(String key, String user) {
    return "{\"auths\":{\"" + key + "\":{\"auth\":\"" + b64(user + ":pw") + "\"}}}";
  }

  private static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
