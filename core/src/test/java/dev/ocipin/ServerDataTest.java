package dev.ocipin;

import static dev.ocipin.MockRegistry.fixture;
import static dev.ocipin.MockRegistry.manifest;
import static dev.ocipin.MockRegistry.response;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocipin.model.InvalidManifestException;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a server sends is data, and odd data gets a typed answer: the blocking API throws only
 * {@code IOException}s for registry trouble, never {@code IllegalArgumentException} or another
 * unchecked exception.
 */
class ServerDataTest {
  private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  private static final byte[] INDEX = fixture("dockerhub-ruby-index.json");

  private final MockRegistry registry = new MockRegistry();

  @AfterEach
  void close() {
    registry.close();
  }

  private String ruby() {
    return registry.host() + "/library/ruby:3.3.0-slim";
  }

  @Test
  void blankMediaTypeInTheBody_isAnInvalidManifest() {
    registry.enqueue(
        manifest(
            "{\"schemaVersion\":2,\"mediaType\":\"\",\"manifests\":[]}".getBytes(), OCI_INDEX));
    InvalidManifestException e =
        assertThrows(
            InvalidManifestException.class, () -> TestResolvers.create().resolveIndex(ruby()));
    assertTrue(e.getMessage().contains("mediaType is blank"), e.getMessage());
    assertEquals(1, registry.server.getRequestCount());
  }

  /** HEAD answers that do not fully describe the manifest fall back to a GET that can be hashed. */
  @ParameterizedTest(name = "Content-Type \"{0}\", Content-Length \"{1}\"")
  @CsvSource(
      delimiter = '|',
      value = {
        "; charset=utf-8 | 100",
        "'  ' | 100",
      })
  void incompleteHeadAnswer_fallsBackToGet(String contentType, String length) throws Exception {
    registry.enqueue(
        response(200)
            .addHeader("Content-Type", contentType)
            .addHeader("Docker-Content-Digest", Digest.sha256(INDEX).toString())
            .addHeader("Content-Length", length)
            .build());
    registry.enqueue(manifest(INDEX, OCI_INDEX));
    assertEquals(Digest.sha256(INDEX), TestResolvers.create().digest(ruby()));
    RecordedRequest head = registry.take();
    assertEquals("HEAD", head.getMethod());
    assertEquals("GET", registry.take().getMethod());
    assertEquals(2, registry.server.getRequestCount());
  }
}
