package dev.ocipin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

/** A MockWebServer on 127.0.0.1 with helpers for the exact exchanges registries script. */
final class MockRegistry implements AutoCloseable {
  static final String ACCEPT =
      "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json,"
          + " application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";

  final MockWebServer server = new MockWebServer();

  MockRegistry() {
    try {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** host:port, as a registry in a reference. */
  String host() {
    return "127.0.0.1:" + server.getPort();
  }

  String realm() {
    return "http://" + host() + "/token";
  }

  MockRegistry enqueue(MockResponse r) {
    server.enqueue(r);
    return this;
  }

  static MockResponse.Builder response(int code) {
    return new MockResponse.Builder().code(code);
  }

  static MockResponse bearerChallenge(String realm, String service, String scope) {
    return response(401)
        .addHeader(
            "WWW-Authenticate",
            "Bearer realm=\"" + realm + "\",service=\"" + service + "\",scope=\"" + scope + "\"")
        .addHeader("Content-Type", "application/json")
        // No body: the same challenge answers HEAD requests, which must not carry one.
        .build();
  }

  static MockResponse token(String token, int expiresIn) {
    return response(200)
        .addHeader("Content-Type", "application/json")
        .body(
            "{\"token\":\""
                + token
                + "\",\"access_token\":\""
                + token
                + "\",\"expires_in\":"
                + expiresIn
                + "}")
        .build();
  }

  static MockResponse manifest(byte[] body, String mediaType) {
    return response(200)
        .addHeader("Content-Type", mediaType)
        .addHeader("Docker-Content-Digest", Digest.sha256(body).toString())
        .body(new Buffer().write(body))
        .build();
  }

  static MockResponse head(byte[] body, String mediaType) {
    return response(200)
        .addHeader("Content-Type", mediaType)
        .addHeader("Docker-Content-Digest", Digest.sha256(body).toString())
        .addHeader("Content-Length", body.length)
        .build();
  }

  static byte[] fixture(String name) {
    try (InputStream in = MockRegistry.class.getResourceAsStream("/manifests/" + name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  RecordedRequest take() throws InterruptedException {
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("expected another request");
    }
    return r;
  }

  /** Takes every request made so far, in order. */
  List<RecordedRequest> takeAll() throws InterruptedException {
    List<RecordedRequest> all = new ArrayList<>();
    for (RecordedRequest r; (r = server.takeRequest(50, TimeUnit.MILLISECONDS)) != null; ) {
      all.add(r);
    }
    return all;
  }

  @Override
  public void close() {
    server.close();
  }
}
