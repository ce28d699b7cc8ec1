package dev.ocipin.registry;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fuzz target for what registries answer: the headers of a HEAD answer and the status, headers and
 * body of an error. Any unchecked exception is a finding: server data gets a typed answer or none.
 * {@code ./mvnw test} replays the seeds in
 * src/test/resources/dev/ocipin/registry/ResponseFuzzTestInputs; {@code JAZZER_FUZZ=1} fuzzes.
 */
class ResponseFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void response(FuzzedDataProvider data) {
    Optional<String> type = Optional.of(data.consumeString(80));
    Optional<String> digest = Optional.of(data.consumeString(140));
    Optional<String> length = Optional.of(data.consumeString(24));
    ManifestHeaders.descriptor(type, digest, length);

    int status = data.consumeInt(100, 599);
    String retryAfter = data.consumeString(40);
    String limit = data.consumeString(20);
    byte[] body = data.consumeRemainingAsBytes();
    HttpHeaders headers =
        HttpHeaders.of(
            Map.of(
                "Retry-After", List.of(retryAfter),
                "RateLimit-Limit", List.of(limit),
                "WWW-Authenticate", List.of(retryAfter + limit)),
            (k, v) -> true);
    Transport.Response resp =
        new Transport.Response(
            status, headers, body, URI.create("https://registry.example/v2/"), status % 2 == 0);
    RegistryException e = ResponseErrors.forStatus("GET manifest x", resp, null, Clock.systemUTC());
    if (e.getMessage() == null) {
      throw new AssertionError("an error without a message");
    }
    ChallengeCache.pick(Challenge.parseAll(headers.allValues("WWW-Authenticate")));
  }
}
