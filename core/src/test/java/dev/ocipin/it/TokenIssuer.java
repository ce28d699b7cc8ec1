package dev.ocipin.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A token service for the registry's {@code auth.token} mode, as Docker Hub's auth.docker.io
 * behaves: {@code GET /token?service=&scope=&scope=} answers a JWT signed with RS256 by a key whose
 * certificate is in the registry's rootcertbundle and in the JWT's {@code x5c} header. Grants pull
 * and push on every repository asked for; with {@link #requireBasic()} only to {@link
 * RegistryServer#USER}.
 */
public final class TokenIssuer implements AutoCloseable {
  public static final String SERVICE = "ocipin-it-registry";
  public static final String ISSUER = "ocipin-it-issuer";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final PrivateKey key;
  private final String x5c;
  private final Path certificate;
  private final AtomicInteger requests = new AtomicInteger();
  private final List<String> queries = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean requireBasic;
  private volatile int publicPort;

  private TokenIssuer(Path dir) throws Exception {
    Path keystore = dir.resolve("issuer.p12");
    certificate = dir.resolve("issuer.pem");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(
        keytool,
        "-genkeypair",
        "-alias",
        "issuer",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=" + ISSUER,
        "-validity",
        "30",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit",
        "-keypass",
        "changeit");
    run(
        keytool,
        "-exportcert",
        "-rfc",
        "-alias",
        "issuer",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit",
        "-file",
        certificate.toString());
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(keystore.toFile())) {
      ks.load(in, "changeit".toCharArray());
    }
    key = (PrivateKey) ks.getKey("issuer", "changeit".toCharArray());
    Certificate cert = ks.getCertificate("issuer");
    x5c = Base64.getEncoder().encodeToString(cert.getEncoded());

    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext(
        "/token",
        exchange -> {
          requests.incrementAndGet();
          String query = exchange.getRequestURI().getRawQuery();
          queries.add(query == null ? "" : query);
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          String expected =
              "Basic "
                  + Base64.getEncoder()
                      .encodeToString(
                          (RegistryServer.USER + ":" + RegistryServer.PASSWORD)
                              .getBytes(StandardCharsets.UTF_8));
          byte[] body;
          int status;
          if (requireBasic && !expected.equals(auth)) {
            status = 401;
            body =
                "{\"details\":\"incorrect username or password\"}".getBytes(StandardCharsets.UTF_8);
          } else {
            status = 200;
            body = tokenResponse(scopes(query)).getBytes(StandardCharsets.UTF_8);
          }
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  /** Makes a key pair and certificate in {@code dir} and starts serving on 127.0.0.1. */
  public static TokenIssuer start(Path dir) throws Exception {
    return new TokenIssuer(dir);
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(
          String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
    }
  }

  /** Refuses tokens unless the request carries Basic credentials of {@link RegistryServer#USER}. */
  public TokenIssuer requireBasic() {
    this.requireBasic = true;
    return this;
  }

  /** Issues tokens to anyone again. */
  public TokenIssuer requireBasicOff() {
    this.requireBasic = false;
    return this;
  }

  /** Advertises the realm on {@code port}, such as a proxy's, instead of the issuer's own. */
  public TokenIssuer publicPort(int port) {
    this.publicPort = port;
    return this;
  }

  /** Returns the issuer's own port. */
  public int port() {
    return server.getAddress().getPort();
  }

  public String realm() {
    return "http://127.0.0.1:" + (publicPort > 0 ? publicPort : port()) + "/token";
  }

  public Path certificate() {
    return certificate;
  }

  /** Returns how many token requests were made. */
  public int requests() {
    return requests.get();
  }

  /** Returns the query of each token request, in order. */
  public List<String> queries() {
    return List.copyOf(queries);
  }

  private static List<String> scopes(String query) {
    List<String> out = new ArrayList<>();
    if (query == null) {
      return out;
    }
    for (String pair : query.split("&")) {
      if (pair.startsWith("scope=")) {
        out.add(URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /** Mints a token for {@code scopes} (such as {@code repository:a/b:pull,push}) directly. */
  public String mint(List<String> scopes) {
    try {
      long now = Instant.now().getEpochSecond();
      ObjectNode header = JSON.createObjectNode().put("typ", "JWT").put("alg", "RS256");
      header.putArray("x5c").add(x5c);
      ObjectNode claims =
          JSON.createObjectNode()
              .put("iss", ISSUER)
              .put("sub", RegistryServer.USER)
              .put("aud", SERVICE)
              .put("exp", now + 300)
              .put("nbf", now - 10)
              .put("iat", now)
              .put("jti", UUID.randomUUID().toString());
      ArrayNode access = claims.putArray("access");
      for (String scope : scopes) {
        String[] parts = scope.split(":");
        if (parts.length == 3) {
          ObjectNode a = access.addObject().put("type", parts[0]).put("name", parts[1]);
          ArrayNode actions = a.putArray("actions");
          actions.add("pull");
          actions.add("push");
        }
      }
      String signingInput =
          b64(JSON.writeValueAsBytes(header)) + "." + b64(JSON.writeValueAsBytes(claims));
      Signature sig = Signature.getInstance("SHA256withRSA");
      sig.initSign(key);
      sig.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + b64(sig.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String tokenResponse(List<String> scopes) throws IOException {
    String jwt = mint(scopes);
    return JSON.writeValueAsString(
        JSON.createObjectNode()
            .put("token", jwt)
            .put("access_token", jwt)
            .put("expires_in", 300)
            .put("issued_at", Instant.now().toString()));
  }

  private static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
