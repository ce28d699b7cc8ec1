package dev.ocipin.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ocipin.auth.internal.Redact;
import dev.ocipin.internal.http.RetryPolicy;
import dev.ocipin.internal.json.Json;
import dev.ocipin.model.InvalidManifestException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The one place that turns what went wrong into ocipin's typed exceptions: error statuses (with the
 * registry's error entries) and failures without a response, with messages a user can act on.
 */
final class ResponseErrors {
  private ResponseErrors() {}

  /** Parses {@code {"errors":[{"code","message"}]}}, leniently; empty for anything else. */
  public static List<RegistryError> parse(byte[] body) {
    List<RegistryError> out = new ArrayList<>();
    if (body.length == 0) {
      return out;
    }
    try {
      JsonNode root = Json.MAPPER.readTree(body);
      JsonNode errors = root == null ? null : root.get("errors");
      if (errors != null && errors.isArray()) {
        for (JsonNode e : errors) {
          String code = e.path("code").asText("");
          String message = e.path("message").asText("");
          if (!code.isEmpty()) {
            out.add(new RegistryError(code, Redact.oneLine(message, 200)));
          }
        }
      }
    } catch (Exception e) {
      // Not JSON (an HTML page from a proxy, say): there are no error entries to report.
    }
    return out;
  }

  /**
   * Maps a non-2xx response for {@code what} (such as "GET docker.io/library/ruby:3.3") to an
   * exception. {@code credentials} describes the credential source for 401/403 messages.
   */
  public static RegistryException forStatus(
      String what, Transport.Response resp, @Nullable String credentials, Clock clock) {
    int status = resp.status();
    List<RegistryError> errors = parse(resp.body());
    String codes =
        errors.isEmpty()
            ? ""
            : " ("
                + errors.stream().map(RegistryError::toString).collect(Collectors.joining("; "))
                + ")";
    String registryHost = hostAndPort(resp.uri());
    if ((status == 401 || status == 403) && resp.redirected()) {
      // A storage host the registry redirected to: it got none of the registry's credentials, and
      // its challenge is not followed, since its token realm is not the registry's to name.
      return new AuthenticationException(
          what
              + ": the registry redirected to "
              + hostAndPort(resp.uri())
              + ", which answered "
              + status
              + codes
              + "; ocipin sends no registry credentials to a host a registry redirects to, so"
              + " the registry must redirect to a URL that needs none (a signed URL)",
          status,
          errors);
    }
    if (status == 400 && bodyText(resp).contains("HTTP request to an HTTPS server")) {
      // Go's net/http (the distribution registry, Harbor, ...) answers a plain-HTTP request on a
      // TLS port this way.
      return new RegistryException(
          what
              + ": registry "
              + registryHost
              + " speaks HTTPS, and was reached over plain HTTP because it is named an"
              + " insecure registry; drop it from the insecure registries (--insecure-registry),"
              + " and trust its CA if need be (--ca-cert FILE or a certs.d directory)",
          status,
          errors,
          null);
    }
    switch (status) {
      case 401:
      case 403:
        return new AuthenticationException(
            what
                + ": registry "
                + registryHost
                + " answered "
                + status
                + codes
                + (credentials == null ? "" : " using " + credentials)
                + "; "
                + (status == 401
                    ? "log in with `docker login`, or give ocipin credentials for this registry"
                    : "the credentials are valid but lack access to this repository"),
            status,
            errors);
      case 404:
        return new ManifestNotFoundException(what + ": not found" + codes, errors);
      case 429:
        Optional<Duration> wait =
            RetryPolicy.retryAfter(resp.header("Retry-After").orElse(null), clock);
        String limit = resp.header("RateLimit-Limit").orElse(null);
        String remaining = resp.header("RateLimit-Remaining").orElse(null);
        return new RateLimitedException(
            what
                + ": rate limited by "
                + registryHost
                + codes
                + wait.map(d -> "; retry after " + d.toSeconds() + " s").orElse("")
                + (limit == null ? "" : "; limit " + limit)
                + (remaining == null ? "" : ", remaining " + remaining),
            errors,
            wait.orElse(null),
            limit,
            remaining);
      default:
        String hint =
            errors.isEmpty() && resp.body().length > 0 ? ": " + Json.safePrefix(resp.body()) : "";
        return new RegistryException(
            what + ": registry " + registryHost + " answered " + status + codes + hint,
            status,
            errors,
            null);
    }
  }

  private static String bodyText(Transport.Response resp) {
    int n = Math.min(resp.body().length, 512);
    return new String(resp.body(), 0, n, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Returns {@code host:port} as a URL names it, the port only when the URL gives one. */
  static String hostAndPort(java.net.URI uri) {
    return uri.getPort() >= 0 ? uri.getHost() + ":" + uri.getPort() : String.valueOf(uri.getHost());
  }

  /**
   * Maps a request's failure (no response, or a refusal of ocipin's own) to the exception a caller
   * sees: ocipin's typed exceptions as they are; a host that cannot be reached named with a hint;
   * anything else as a {@link RegistryException} naming what was attempted.
   */
  static java.io.IOException forFailure(
      String what, Endpoint endpoint, Throwable cause, Trust trust) {
    if (cause instanceof java.io.IOException
        && (cause instanceof RegistryException || cause instanceof InvalidManifestException)) {
      return (java.io.IOException) cause;
    }
    if (cause instanceof dev.ocipin.auth.CredentialException) {
      return (java.io.IOException) cause;
    }
    if (RetryPolicy.isProxyRefusal(cause)) {
      return new RegistryException(
          what
              + ": the proxy refused its credentials (407); check the user and password given"
              + " for the proxy (in the HTTPS_PROXY or HTTP_PROXY URL, or settings.xml's <proxy>)",
          407,
          List.of(),
          cause);
    }
    Optional<TlsFailures.Kind> tls = TlsFailures.classify(cause);
    if (tls.isPresent()) {
      return new RegistryException(
          TlsFailures.message(what, endpoint.host(), tls.get(), trust, cause), 0, List.of(), cause);
    }
    if (cause instanceof java.net.UnknownHostException) {
      return new RegistryException(
          what
              + ": unknown host "
              + endpoint.host()
              + "; check the registry's name, or the DNS or proxy settings",
          0,
          List.of(),
          cause);
    }
    String reach =
        cause instanceof java.net.ConnectException
                || cause instanceof java.net.http.HttpConnectTimeoutException
            ? "cannot reach "
                + (endpoint.tlsFallback() ? endpoint.host() : endpoint.base())
                + " ("
                + describe(cause)
                + "); check the network or proxy"
            : describe(cause);
    return new RegistryException(what + ": " + reach, 0, List.of(), cause);
  }

  /** Names a failure by its class and message, for messages. */
  static String describe(Throwable t) {
    String msg = t.getMessage();
    String name = t.getClass().getSimpleName();
    return msg == null || msg.isBlank() ? name : name + ": " + msg;
  }
}
