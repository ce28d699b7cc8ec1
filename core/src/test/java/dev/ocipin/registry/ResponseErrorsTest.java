package dev.ocipin.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one place statuses and failures become typed exceptions, and what their messages say. */
class ResponseErrorsTest {
  private static final Trust NO_TRUST = new Trust(java.util.List.of(), java.util.List.of());

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-29T00:00:00Z"), ZoneOffset.UTC);

  private static Transport.Response response(
      int status, String body, Map<String, List<String>> headers, boolean redirected) {
    return new Transport.Response(
        status,
        HttpHeaders.of(headers, (k, v) -> true),
        body.getBytes(StandardCharsets.UTF_8),
        URI.create(redirected ? "https://storage.example:8443/b" : "https://ghcr.io/v2/x"),
        redirected);
  }

  @Test
  void unauthorized_namesTheRegistryTheCredentialsAndWhatToDo() {
    RegistryException e =
        ResponseErrors.forStatus(
            "GET manifest ghcr.io/o/a:1",
            response(
                401,
                "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"auth\"}]}",
                Map.of(),
                false),
            "credentials from config.json",
            CLOCK);
    assertInstanceOf(AuthenticationException.class, e);
    assertEquals(
        "GET manifest ghcr.io/o/a:1: registry ghcr.io answered 401 (UNAUTHORIZED: auth) using"
            + " credentials from config.json; log in with `docker login`, or give ocipin"
            + " credentials for this registry",
        e.getMessage());
  }

  @Test
  void redirectTargetRefusing_isNamedAsSuch() {
    RegistryException e =
        ResponseErrors.forStatus("GET blob x", response(401, "", Map.of(), true), null, CLOCK);
    assertInstanceOf(AuthenticationException.class, e);
    assertTrue(e.getMessage().contains("redirected to storage.example:8443"), e.getMessage());
  }

  @Test
  void notFound_rateLimited_andOtherStatuses() {
    assertInstanceOf(
        ManifestNotFoundException.class,
        ResponseErrors.forStatus("GET m", response(404, "", Map.of(), false), null, CLOCK));
    RateLimitedException limited =
        (RateLimitedException)
            ResponseErrors.forStatus(
                "GET m",
                response(
                    429,
                    "",
                    Map.of(
                        "Retry-After", List.of("42"), "RateLimit-Remaining", List.of("0;w=21600")),
                    false),
                null,
                CLOCK);
    assertEquals(Duration.ofSeconds(42), limited.retryAfter().orElseThrow());
    RegistryException other =
        ResponseErrors.forStatus(
            "GET m", response(502, "<html>bad</html>", Map.of(), false), null, CLOCK);
    assertEquals(502, other.status().getAsInt());
    assertTrue(
        other.getMessage().endsWith("answered 502: \"<html>bad</html>\""), other.getMessage());
  }

  @Test
  void plainHttpToAnHttpsRegistry_saysSo() {
    RegistryException e =
        ResponseErrors.forStatus(
            "HEAD manifest 127.0.0.1:5000/app:1",
            response(400, "Client sent an HTTP request to an HTTPS server.\n", Map.of(), false),
            null,
            CLOCK);
    assertTrue(
        e.getMessage().contains("speaks HTTPS, and was reached over plain HTTP"), e.getMessage());
    assertEquals(400, e.status().getAsInt());
  }

  @Test
  void failures_ownTypedOnesPassThrough_unreachableHostsGetAHint() {
    Endpoint ghcr = Endpoint.of("ghcr.io", Set.of(), Set.of());
    RegistryException ours = new RegistryException("already typed");
    assertSame(ours, ResponseErrors.forFailure("GET m", ghcr, ours, NO_TRUST));
    IOException unreachable =
        ResponseErrors.forFailure(
            "GET m", ghcr, new ConnectException("Connection refused"), NO_TRUST);
    assertEquals(
        "GET m: cannot reach https://ghcr.io (ConnectException: Connection refused); check the"
            + " network or proxy",
        unreachable.getMessage());
    assertEquals(
        "GET m: unknown host ghcr.io; check the registry's name, or the DNS or proxy settings",
        ResponseErrors.forFailure(
                "GET m", ghcr, new java.net.UnknownHostException("ghcr.io"), NO_TRUST)
            .getMessage());
    assertEquals(
        "GET m: IOException: closed",
        ResponseErrors.forFailure("GET m", ghcr, new IOException("closed"), NO_TRUST).getMessage());
  }
}
