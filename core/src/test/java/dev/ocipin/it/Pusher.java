package dev.ocipin.it;

import dev.ocipin.Digest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Pushes blobs and manifests through the Registry HTTP API (monolithic blob upload, manifest PUT),
 * as {@code docker push} does, so integration tests bring their own fixtures.
 */
public final class Pusher implements Fixtures.Target {
  private final HttpClient client;
  private final String host;
  private final String scheme;
  private final Function<String, @Nullable String> authorization;

  /**
   * @param host the registry's host:port
   * @param authorization the Authorization header for a repository, or null for none
   */
  public Pusher(String host, Function<String, @Nullable String> authorization) {
    this.host = host;
    this.scheme = "http://";
    this.client = HttpClient.newHttpClient();
    this.authorization = authorization;
  }

  /** Pushes anonymously to a registry that speaks HTTPS, trusted through {@code tls}. */
  public Pusher(String host, javax.net.ssl.SSLContext tls) {
    this.host = host;
    this.scheme = "https://";
    this.client = HttpClient.newBuilder().sslContext(tls).build();
    this.authorization = repo -> null;
  }

  private HttpRequest.Builder request(String repository, URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri);
    String auth = authorization.apply(repository);
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return b;
  }

  /** Uploads {@code bytes} as a blob of {@code repository} and returns its digest. */
  public Digest blob(String repository, byte[] bytes) throws IOException, InterruptedException {
    Digest digest = Digest.sha256(bytes);
    HttpResponse<String> start =
        client.send(
            request(repository, URI.create(scheme + host + "/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    expect(start, 202, "start upload to " + repository);
    String location = start.headers().firstValue("Location").orElseThrow();
    URI upload = URI.create(scheme + host + "/").resolve(location);
    String sep = upload.getQuery() == null ? "?" : "&";
    HttpResponse<String> put =
        client.send(
            request(repository, URI.create(upload + sep + "digest=" + digest))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    expect(put, 201, "upload blob " + digest + " to " + repository);
    return digest;
  }

  /** PUTs a manifest under {@code reference} (a tag or digest) and returns its digest. */
  public Digest manifest(String repository, String reference, String mediaType, byte[] body)
      throws IOException, InterruptedException {
    HttpResponse<String> put =
        client.send(
            request(
                    repository,
                    URI.create(scheme + host + "/v2/" + repository + "/manifests/" + reference))
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    expect(put, 201, "put manifest " + repository + ":" + reference);
    Digest digest = Digest.sha256(body);
    String claimed = put.headers().firstValue("Docker-Content-Digest").orElseThrow();
    if (!claimed.equals(digest.toString())) {
      throw new IOException("registry stored " + claimed + " for a manifest hashing to " + digest);
    }
    return digest;
  }

  /** Deletes a manifest by digest. */
  public void delete(String repository, Digest digest) throws IOException, InterruptedException {
    HttpResponse<String> r =
        client.send(
            request(
                    repository,
                    URI.create(scheme + host + "/v2/" + repository + "/manifests/" + digest))
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    expect(r, 202, "delete " + repository + "@" + digest);
  }

  private static void expect(HttpResponse<String> r, int status, String what) throws IOException {
    if (r.statusCode() != status) {
      throw new IOException(what + ": " + r.statusCode() + " " + r.body());
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
