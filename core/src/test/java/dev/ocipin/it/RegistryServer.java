package dev.ocipin.it;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The CNCF distribution registry (Debian's {@code docker-registry}) run as a process on 127.0.0.1,
 * anonymously, with htpasswd Basic auth, or with token auth as Docker Hub does it.
 *
 * <p>Without the binary, tests are skipped with a message saying how to run them; with {@code
 * CI=true} they fail instead, so CI never skips them.
 */
public final class RegistryServer implements AutoCloseable {
  /** The user and password of the htpasswd mode; the hash is bcrypt, made by htpasswd -B. */
  public static final String USER = "ocipin";

  public static final String PASSWORD = "it-password-Z9";
  private static final String HTPASSWD =
      "ocipin:$2y$05$C3lg6/ln.uplhdjsiDVvfu06uIw0G3DUwLRQp82DNtxks8TJX7oZe\n";

  private final Path dir;
  private final int port;
  private final String authSection;
  private Process process;

  private RegistryServer(Path dir, int port, String authSection) {
    this.dir = dir;
    this.port = port;
    this.authSection = authSection;
  }

  /** Returns the registry binary, or skips (fails under CI) when it is missing. */
  public static Path binary() {
    Optional<Path> found = findBinary();
    String message =
        "the distribution registry is not installed: run `apt-get install -y docker-registry` to"
            + " run the integration tests";
    if (found.isEmpty() && "true".equals(System.getenv("CI"))) {
      throw new IllegalStateException(
          message + " (CI=true: integration tests must not be skipped)");
    }
    Assumptions.assumeTrue(found.isPresent(), message);
    return found.get();
  }

  private static Optional<Path> findBinary() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      Path p = Path.of(dir, "docker-registry");
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    Path usual = Path.of("/usr/bin/docker-registry");
    return Files.isExecutable(usual) ? Optional.of(usual) : Optional.empty();
  }

  /** Starts a registry that needs no authentication. */
  public static RegistryServer anonymous(Path dir) throws IOException, InterruptedException {
    return start(dir, "");
  }

  /** Starts a registry with htpasswd Basic authentication for {@link #USER}. */
  public static RegistryServer htpasswd(Path dir) throws IOException, InterruptedException {
    Files.writeString(dir.resolve("htpasswd"), HTPASSWD);
    return start(
        dir,
        "auth:\n  htpasswd:\n    realm: ocipin-it\n    path: " + dir.resolve("htpasswd") + "\n");
  }

  /**
   * Starts a registry that needs no authentication and speaks only HTTPS, with the certificate and
   * PKCS#8 key of the given PEM files.
   */
  public static RegistryServer anonymousTls(Path dir, Path certificatePem, Path keyPem)
      throws IOException, InterruptedException {
    return start(dir, "  tls:\n    certificate: " + certificatePem + "\n    key: " + keyPem + "\n");
  }

  /** Starts a registry that trusts tokens signed by {@code issuer}, as Docker Hub does. */
  public static RegistryServer token(Path dir, TokenIssuer issuer)
      throws IOException, InterruptedException {
    return token(dir, issuer.realm(), issuer.certificate());
  }

  /**
   * Starts a registry that trusts tokens of {@link TokenIssuer#ISSUER} signed with the key of
   * {@code certificate}, fetched from {@code realm} (an issuer in another process, say).
   */
  public static RegistryServer token(Path dir, String realm, Path certificate)
      throws IOException, InterruptedException {
    return start(
        dir,
        "auth:\n  token:\n    realm: "
            + realm
            + "\n    service: "
            + TokenIssuer.SERVICE
            + "\n    issuer: "
            + TokenIssuer.ISSUER
            + "\n    rootcertbundle: "
            + certificate
            + "\n");
  }

  /**
   * Returns how many requests the registry has answered, as its own access log counts them ({@code
   * response completed}, one line per request, 401s included).
   */
  public long requestsAnswered() throws IOException {
    try (java.util.stream.Stream<String> lines = Files.lines(dir.resolve("registry.log"))) {
      return lines.filter(l -> l.contains("msg=\"response completed\"")).count();
    }
  }

  private static RegistryServer start(Path dir, String auth)
      throws IOException, InterruptedException {
    RegistryServer s = new RegistryServer(dir, freePort(), auth);
    s.start();
    return s;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket =
        new ServerSocket(0, 0, java.net.InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  /** Starts (or restarts) the process and waits until it answers. */
  public void start() throws IOException, InterruptedException {
    Path binary = binary();
    Path config = dir.resolve("config.yml");
    Files.writeString(
        config,
        "version: 0.1\n"
            + "log:\n  level: info\n"
            + "storage:\n  filesystem:\n    rootdirectory: "
            + dir.resolve("data")
            + "\n  delete:\n    enabled: true\n"
            + "http:\n  addr: 127.0.0.1:"
            + port
            + "\n"
            + authSection);
    process =
        new ProcessBuilder(binary.toString(), "serve", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("registry.log").toFile()))
            .start();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
      }
      try {
        HttpResponse<Void> r =
            client.send(
                HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/")).build(),
                HttpResponse.BodyHandlers.discarding());
        // 400: a TLS registry answering the plain-HTTP probe ("HTTP request to an HTTPS server").
        if (r.statusCode() == 200 || r.statusCode() == 401 || r.statusCode() == 400) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(50);
    }
    throw new IOException("docker-registry did not start within 20 s on " + host());
  }

  /** Stops the process; {@link #start()} brings it back with the same data and port. */
  public void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  /** Returns the port. */
  public int port() {
    return port;
  }

  /** Returns {@code 127.0.0.1:port}. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
