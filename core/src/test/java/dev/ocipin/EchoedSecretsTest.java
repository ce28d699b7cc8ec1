package dev.ocipin;

import static dev.ocipin.MockRegistry.bearerChallenge;
import static dev.ocipin.MockRegistry.response;
import static dev.ocipin.MockRegistry.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.auth.Credential;
import dev.ocipin.auth.StaticCredentials;
import dev.ocipin.model.InvalidManifestException;
import dev.ocipin.registry.AuthenticationException;
import dev.ocipin.registry.RegistryException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Registries, token servers and proxies that echo back what we sent them: the Authorization header,
 * the password, the refresh token or the bearer token, in an error page or in a body that should
 * have been JSON. The secrets are short, so the heuristic redaction of long token-like runs cannot
 * catch them; every message, stack trace and listener event must still be free of them.
 */
class EchoedSecretsTest {
  private static final String USER = "bob";
  private static final String PASSWORD = "hunter2pw";
  private static final String BASIC =
      Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
  private static final String REFRESH = "rt9short";
  private static final String BEARER = "tok9abc";

  private final MockRegistry registry = new MockRegistry();
  private final List<String> seen = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    registry.close();
  }

  private String ruby() {
    return registry.host() + "/library/ruby:3.3.0-slim";
  }

  /** Answers every request with {@code f}, which may read what the request carried. */
  private void serve(Function<RecordedRequest, MockResponse> f) {
    registry.server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return f.apply(request);
          }
        });
  }

  /** An HTML error page that shows the request's Authorization header and body, as some do. */
  private static MockResponse echo(int code, RecordedRequest r, String extra) {
    String body =
        "<html><body>Request refused. Authorization: "
            + r.getHeaders().get("Authorization")
            + " body: "
            + body(r)
            + " "
            + extra
            + "</body></html>";
    return response(code).addHeader("Content-Type", "text/html").body(body).build();
  }

  private DigestResolver resolver(Credential credential) {
    return TestResolvers.plainHttp()
        .credentials(StaticCredentials.of(registry.host(), credential))
        .listener(e -> seen.add(e.toString()))
        .build();
  }

  /** Runs {@code call}, expecting {@code type}, and checks everything it produced for secrets. */
  private <T extends Throwable> T expectClean(Class<T> type, Executable call) {
    T e = assertThrows(type, call::run);
    StringWriter w = new StringWriter();
    e.printStackTrace(new PrintWriter(w));
    List<String> all = new ArrayList<>(seen);
    all.add(w.toString());
    if (e instanceof RegistryException) {
      all.add(((RegistryException) e).errors().toString());
    }
    for (String s : all) {
      for (String secret : List.of(PASSWORD, BASIC, REFRESH, BEARER)) {
        assertFalse(s.contains(secret), secret + " leaked into: " + s);
      }
    }
    return e;
  }

  interface Executable {
    void run() throws Exception;
  }

  private boolean isToken(RecordedRequest r) {
    return r.getTarget().startsWith("/token");
  }

  @Test
  void basicRegistry_errorPageEchoingTheAuthorizationHeader() {
    serve(
        r ->
            r.getHeaders().get("Authorization") == null
                ? response(401).addHeader("WWW-Authenticate", "Basic realm=\"r\"").build()
                : r.getMethod().equals("HEAD")
                    ? response(405).build()
                    : echo(400, r, "user " + USER + " password " + PASSWORD));
    RegistryException e =
        expectClean(
            RegistryException.class,
            () -> resolver(Credential.basic(USER, PASSWORD)).digest(ruby()));
    assertEquals(400, e.status().orElseThrow());
    assertTrue(e.getMessage().contains("Authorization: Basic <redacted>"), e.getMessage());
    // HEAD 401, HEAD 405 with credentials, GET 400.
    assertEquals(3, registry.server.getRequestCount());
  }

  @Test
  void tokenServer_errorPageEchoingBasicCredentials() {
    serve(
        r ->
            isToken(r)
                ? echo(400, r, "password " + PASSWORD)
                : bearerChallenge(registry.realm(), "reg", "repository:library/ruby:pull"));
    RegistryException e =
        expectClean(
            RegistryException.class,
            () -> resolver(Credential.basic(USER, PASSWORD)).digest(ruby()));
    assertTrue(e.getMessage().contains("<redacted>"), e.getMessage());
    assertEquals(2, registry.server.getRequestCount());
  }

  @Test
  void tokenServer_nonJsonBodyStartingWithThePassword() {
    serve(
        r ->
            isToken(r)
                ? response(200).body(PASSWORD + " is not a valid password").build()
                : bearerChallenge(registry.realm(), "reg", "repository:library/ruby:pull"));
    RegistryException e =
        expectClean(
            RegistryException.class,
            () -> resolver(Credential.basic(USER, PASSWORD)).digest(ruby()));
    assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    assertEquals(2, registry.server.getRequestCount());
  }

  @Test
  void oauthServer_errorEchoingTheRefreshToken() throws Exception {
    serve(
        r ->
            isToken(r)
                ? response(401)
                    .addHeader("Content-Type", "application/json")
                    .body(
                        "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"unknown grant "
                            + REFRESH
                            + " in "
                            + body(r)
                            + "\"}]}")
                    .build()
                : bearerChallenge(registry.realm(), "reg", "repository:library/ruby:pull"));
    AuthenticationException e =
        expectClean(
            AuthenticationException.class,
            () -> resolver(Credential.identityToken(REFRESH)).digest(ruby()));
    assertEquals("POST", registry.takeAll().get(1).getMethod());
    assertTrue(
        e.errors().get(0).message().startsWith("unknown grant <redacted> in "),
        e.errors().toString());
    assertEquals(2, registry.server.getRequestCount());
  }

  @Test
  void registry_manifestBodyEchoingTheBearerToken_inJsonAndHtml() {
    serve(
        r -> {
          if (isToken(r)) {
            return token(BEARER, 300);
          }
          if (r.getHeaders().get("Authorization") == null) {
            return bearerChallenge(
                registry.realm(), "reg", "repository:library/" + repo(r) + ":pull");
          }
          String body =
              repo(r).equals("ruby")
                  ? BEARER + " expired"
                  : "<html>Your token " + BEARER + " is not welcome here</html>";
          return response(200)
              .addHeader("Content-Type", "application/vnd.oci.image.index.v1+json")
              .body(body)
              .build();
        });
    DigestResolver resolver = resolver(Credential.basic(USER, PASSWORD));
    InvalidManifestException json =
        expectClean(InvalidManifestException.class, () -> resolver.resolveIndex(ruby()));
    assertTrue(json.getMessage().contains("'<redacted>'"), json.getMessage());
    InvalidManifestException html =
        expectClean(
            InvalidManifestException.class,
            () -> resolver.resolveIndex(registry.host() + "/library/alpine:3.19"));
    assertTrue(html.getMessage().contains("Your token <redacted>"), html.getMessage());
    // ruby: challenge, token, GET; alpine: token, GET (the challenge is known by then).
    assertEquals(5, registry.server.getRequestCount());
  }

  @Test
  void redirectLocation_echoingThePasswordInItsQueryAndPath_isNeverPrinted() {
    // Every hop goes to a Location that quotes the password, in the path and in the query, until
    // the hop limit refuses: the refusal names the URL without them, and so does every event.
    serve(
        r ->
            r.getHeaders().get("Authorization") == null
                ? response(401).addHeader("WWW-Authenticate", "Basic realm=\"r\"").build()
                : response(307)
                    .addHeader("Location", "/v2/echo/" + PASSWORD + "/manifests/x?echo=" + PASSWORD)
                    .build());
    RegistryException e =
        expectClean(
            RegistryException.class,
            () -> resolver(Credential.basic(USER, PASSWORD)).resolveIndex(ruby()));
    assertTrue(e.getMessage().contains("more than 10 redirects"), e.getMessage());
    assertTrue(e.getMessage().contains("/v2/echo/<redacted>/manifests/x:"), e.getMessage());
    // The 401, the retry with credentials, and its 10 redirects; then the limit refuses.
    assertEquals(12, registry.server.getRequestCount());
    assertEquals(12, seen.size());
    assertTrue(seen.get(11).contains("/v2/echo/%3Credacted%3E/manifests/x -> 307"), seen.get(11));
  }

  @Test
  void realmQuotingThePassword_andStorageUrlCarryingTheToken_areNeverPrinted() {
    // A realm whose query quotes the password, and a signed storage URL carrying the bearer token
    // in its query (as signed URLs carry their signature): events show neither query.
    serve(
        r -> {
          if (isToken(r)) {
            return token(BEARER, 300);
          }
          if (r.getTarget().startsWith("/storage")) {
            return response(500).body("storage is down").build();
          }
          if (r.getHeaders().get("Authorization") == null) {
            return bearerChallenge(
                registry.realm() + "?user=" + USER + "&pw=" + PASSWORD,
                "reg",
                "repository:library/ruby:pull");
          }
          return response(307)
              .addHeader("Location", "/storage/blob?sig=" + BEARER + "&auth=" + BASIC)
              .build();
        });
    RegistryException e =
        expectClean(
            RegistryException.class,
            () ->
                TestResolvers.plainHttp()
                    .credentials(
                        StaticCredentials.of(registry.host(), Credential.basic(USER, PASSWORD)))
                    .listener(ev -> seen.add(ev.toString()))
                    .maxAttempts(1)
                    .build()
                    .resolveIndex(ruby()));
    assertTrue(e.getMessage().contains("answered 500"), e.getMessage());
    // challenge, token, GET, the storage host's 500
    assertEquals(4, registry.server.getRequestCount());
    assertTrue(
        seen.get(1).startsWith("GET http://" + registry.host() + "/token -> 200"), seen.get(1));
    assertTrue(seen.get(3).startsWith("GET http://" + registry.host() + "/storage/blob -> 500"));
  }

  private static String body(RecordedRequest r) {
    return r.getBody() == null ? "" : r.getBody().utf8();
  }

  private static String repo(RecordedRequest r) {
    String t = r.getTarget();
    return t.substring("/v2/library/".length(), t.indexOf("/manifests/"));
  }
}
