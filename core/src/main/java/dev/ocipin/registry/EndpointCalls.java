package dev.ocipin.registry;

import dev.ocipin.Digest;
import dev.ocipin.ImageReference;
import dev.ocipin.internal.http.CancelScope;
import dev.ocipin.internal.http.Futures;
import dev.ocipin.model.Descriptor;
import dev.ocipin.model.InvalidManifestException;
import dev.ocipin.model.Manifests;
import dev.ocipin.model.ParsedManifest;
import dev.ocipin.model.UnsupportedManifestException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The requests to one endpoint (a registry or one of its mirrors) and the checks on their answers:
 * a manifest HEAD (falling back to GET when the HEAD cannot say), a manifest GET hashed and checked
 * against {@code Docker-Content-Digest} and the reference's digest, a blob GET checked against its
 * digest, and every failure mapped to ocipin's typed exceptions. Which endpoint, caching and
 * sharing are {@link RegistryClient}'s.
 *
 * <p>Thread-safe.
 */
final class EndpointCalls {
  private final Transport transport;
  private final long maxManifestBytes;

  EndpointCalls(Transport transport, long maxManifestBytes) {
    this.transport = transport;
    this.maxManifestBytes = maxManifestBytes;
  }

  CompletableFuture<Descriptor> head(
      Endpoint endpoint,
      ImageReference ref,
      @Nullable Supplier<CompletableFuture<Void>> beforeRetry,
      CancelScope cancel) {
    String what = "HEAD manifest " + ref;
    return transport
        .send(request(endpoint, ref, "HEAD", cancel), beforeRetry)
        .handle(
            (resp, e) -> {
              if (e != null) {
                throw new CompletionException(
                    ResponseErrors.forFailure(
                        what, endpoint, Futures.unwrap(e), transport.config().clients().trust()));
              }
              return resp;
            })
        .thenCompose(
            resp -> {
              if (resp.status() / 100 == 2) {
                Optional<Descriptor> described =
                    ManifestHeaders.descriptor(
                        resp.header("Content-Type"),
                        resp.header("Docker-Content-Digest"),
                        resp.header("Content-Length"));
                if (described.isPresent()) {
                  try {
                    DigestVerifier.verifyClaim(what, described.get().digest(), ref.digest());
                  } catch (DigestMismatchException e) {
                    throw new CompletionException(e);
                  }
                  return CompletableFuture.completedFuture(described.get());
                }
                // No digest (or no type or size) on HEAD: fall back to GET, which we can verify.
                return get(endpoint, ref, null, cancel).thenApply(ParsedManifest::descriptor);
              }
              // 405: HEAD not allowed. 400: a HEAD error has no body to say why (a plain-HTTP
              // request to an HTTPS port, a malformed name), and the GET's error body does.
              if (resp.status() == 405 || resp.status() == 400) {
                return get(endpoint, ref, null, cancel).thenApply(ParsedManifest::descriptor);
              }
              throw new CompletionException(error(what, endpoint, ref, resp));
            });
  }

  CompletableFuture<ParsedManifest> get(
      Endpoint endpoint,
      ImageReference ref,
      @Nullable Supplier<CompletableFuture<Void>> beforeRetry,
      CancelScope cancel) {
    String what = "GET manifest " + ref;
    return transport
        .send(request(endpoint, ref, "GET", cancel), beforeRetry)
        .handle((resp, e) -> checked(what, ref, endpoint, resp, e, maxManifestBytes))
        .thenApply(
            resp -> {
              ParsedManifest parsed;
              try {
                parsed = Manifests.parse(resp.body(), resp.header("Content-Type").orElse(null));
              } catch (InvalidManifestException e) {
                throw new CompletionException(scrubbed(e));
              }
              Optional<Digest> claimed =
                  resp.header("Docker-Content-Digest").flatMap(ManifestHeaders::digest);
              try {
                DigestVerifier.verify(what, resp.body(), claimed, ref.digest());
              } catch (RegistryException e) {
                throw new CompletionException(e);
              }
              // Named as the reference or the registry names it, so that digest() (the HEAD's
              // Docker-Content-Digest) and resolveIndex() agree for a registry using sha512.
              return parsed.digestedWith(DigestVerifier.algorithmFor(ref.digest(), claimed));
            });
  }

  /** Returns a 2xx response, or throws the mapped failure. */
  private Transport.Response checked(
      String what,
      ImageReference ref,
      Endpoint endpoint,
      Transport.@org.jspecify.annotations.Nullable Response resp,
      @org.jspecify.annotations.Nullable Throwable e,
      long cap) {
    if (e != null) {
      Throwable cause = Futures.unwrap(e);
      if (Exchange.isTooLarge(cause)) {
        throw new CompletionException(
            new ManifestTooLargeException(
                what + ": the body is larger than the cap of " + cap + " bytes", cap));
      }
      throw new CompletionException(
          ResponseErrors.forFailure(what, endpoint, cause, transport.config().clients().trust()));
    }
    if (resp.status() / 100 != 2) {
      throw new CompletionException(error(what, endpoint, ref, resp));
    }
    return resp;
  }

  private RegistryException error(
      String what, Endpoint endpoint, ImageReference ref, Transport.Response resp) {
    String creds =
        resp.status() == 401 || resp.status() == 403
            ? "credentials from "
                + transport.describeCredentials(endpoint.registry(), ref.repository())
            : null;
    return ResponseErrors.forStatus(what, resp, creds, transport.config().clock());
  }

  private Transport.Request request(
      Endpoint endpoint, ImageReference ref, String method, CancelScope cancel) {
    String target =
        ref.digest().map(Digest::toString).orElse(ref.tag().orElse(ImageReference.DEFAULT_TAG));
    return new Transport.Request(
        endpoint,
        ref.repository(),
        method,
        "/v2/" + ref.repository() + "/manifests/" + target,
        RegistryClient.MANIFEST_ACCEPT,
        maxManifestBytes,
        cancel);
  }

  /** Fetches blob {@code digest} of {@code ref}'s repository and checks it hashes to it. */
  CompletableFuture<byte[]> blob(
      Endpoint endpoint, ImageReference ref, Digest digest, long maxBytes, CancelScope cancel) {
    String what = "GET blob " + ref.name() + "@" + digest;
    Transport.Request req =
        new Transport.Request(
            endpoint,
            ref.repository(),
            "GET",
            "/v2/" + ref.repository() + "/blobs/" + digest,
            null,
            maxBytes,
            cancel);
    return transport
        .send(req)
        .handle((resp, e) -> checked(what, ref, endpoint, resp, e, maxBytes))
        .thenApply(
            resp -> {
              try {
                DigestVerifier.verify(what, resp.body(), Optional.empty(), Optional.of(digest));
              } catch (RegistryException e) {
                throw new CompletionException(e);
              }
              return resp.body();
            });
  }

  /**
   * A parse failure may quote the body, and a proxy's page can echo the Authorization header we
   * sent: when the message or any cause holds a secret, rebuild it scrubbed and without the
   * parser's exceptions, which quote the body raw.
   */
  private InvalidManifestException scrubbed(InvalidManifestException e) {
    boolean leaks = false;
    for (Throwable t = e; t != null && !leaks; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      leaks = !transport.scrub(m).equals(m);
    }
    if (!leaks) {
      return e;
    }
    String clean = transport.scrub(String.valueOf(e.getMessage()));
    return e instanceof UnsupportedManifestException
        ? new UnsupportedManifestException(clean)
        : new InvalidManifestException(clean);
  }
}
