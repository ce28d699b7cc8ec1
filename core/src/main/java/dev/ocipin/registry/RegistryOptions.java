package dev.ocipin.registry;

import dev.ocipin.auth.CredentialChain;
import dev.ocipin.auth.CredentialProvider;
import dev.ocipin.auth.internal.Hosts;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The options every registry-talking builder shares: credentials, HTTP client, timeouts, insecure
 * registries, mirrors, the manifest size cap, the clock and a request listener.
 *
 * <p>Each option can be set once; setting it again fails at once with a message naming the value
 * already set. Builders are not thread-safe; what they build is.
 *
 * @param <B> the concrete builder type, returned by every setter
 */
public abstract class RegistryOptions<B extends RegistryOptions<B>> {
  /** What has been set; it builds the client. */
  private final ClientSettings s = new ClientSettings();

  /** For subclasses. */
  protected RegistryOptions() {}

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  private static void once(@Nullable Object current, String what) {
    if (current != null) {
      throw new IllegalStateException(what + " was already set to " + current);
    }
  }

  /**
   * Takes credentials from {@code credentials}; by default from {@link
   * CredentialChain#defaultChain()}.
   */
  public B credentials(CredentialProvider credentials) {
    once(s.credentials, "credentials");
    s.credentials = Objects.requireNonNull(credentials, "credentials");
    return self();
  }

  /**
   * Sends requests with {@code client}. It must not follow redirects itself: ocipin follows them by
   * hand, so that credentials never reach another host. By default ocipin builds a client that
   * prefers HTTP/2 over TLS and keeps connections alive.
   */
  public B httpClient(HttpClient client) {
    once(s.httpClient, "HTTP client");
    s.httpClient = Objects.requireNonNull(client, "client");
    return self();
  }

  /**
   * Runs credential lookups (which may start helper processes and block on them) and, if ocipin
   * builds the HTTP client, its callbacks on {@code executor}. By default HTTP callbacks run on the
   * common fork-join pool and credential lookups on a small pool of daemon threads of their own, so
   * a slow helper never holds up the common pool.
   */
  public B executor(Executor executor) {
    once(s.executor, "executor");
    s.executor = Objects.requireNonNull(executor, "executor");
    return self();
  }

  /** Gives up connecting after {@code timeout}; default 10 s. Ignored with {@link #httpClient}. */
  public B connectTimeout(Duration timeout) {
    once(s.connectTimeout, "connect timeout");
    s.connectTimeout = positive(timeout, "connect timeout");
    return self();
  }

  /** Gives up on one request after {@code timeout}; default 30 s. */
  public B requestTimeout(Duration timeout) {
    once(s.requestTimeout, "request timeout");
    s.requestTimeout = positive(timeout, "request timeout");
    return self();
  }

  private static Duration positive(Duration d, String what) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
    return d;
  }

  /**
   * Sends requests through the proxies {@code selector} chooses. By default ocipin reads them as
   * the docker CLI does: {@code HTTPS_PROXY}, {@code HTTP_PROXY} and {@code NO_PROXY} (either case;
   * Go's rules for suffixes, leading dots, {@code *}, IP addresses, CIDR ranges and ports), or the
   * JVM's {@code https.proxyHost} properties when they are set. Loopback registries never go
   * through a proxy. Ignored with {@link #httpClient}, whose own proxy settings apply.
   */
  public B proxy(ProxySelector selector) {
    once(s.proxy, "proxy");
    s.proxy = Objects.requireNonNull(selector, "selector");
    return self();
  }

  /**
   * Answers a proxy's {@code 407} with what {@code authenticator} gives for {@link
   * java.net.Authenticator.RequestorType#PROXY} requests, for a {@link #proxy} selector of your own
   * whose proxies need credentials (proxies from {@code HTTPS_PROXY} take theirs from the URL). It
   * should answer nothing for {@code SERVER} requests: registries' credentials come from the
   * credential provider. Basic credentials for an HTTPS registry (a CONNECT tunnel) are only sent
   * when the JVM's {@code jdk.http.auth.tunneling.disabledSchemes} property no longer lists {@code
   * Basic} (it does by default) before the first HTTP client is built. Ignored with {@link
   * #httpClient}.
   */
  public B proxyAuthenticator(java.net.Authenticator authenticator) {
    once(s.proxyAuthenticator, "proxyAuthenticator");
    s.proxyAuthenticator = Objects.requireNonNull(authenticator, "authenticator");
    return self();
  }

  /**
   * Reaches {@code registry} over plain HTTP, with no TLS attempt. {@code registry} is host[:port]
   * as written in references, or a CIDR range of IP addresses ({@code 10.0.0.0/8}), as in docker's
   * {@code insecure-registries}. A loopback registry not named here is tried over HTTPS first and
   * over plain HTTP when it does not speak TLS, once per registry. Credentials are not sent to an
   * insecure registry off loopback unless {@link #sendCredentialsOverPlainHttp} is set.
   */
  public B insecureRegistry(String registry) {
    s.insecure.add(registry.toLowerCase(Locale.ROOT));
    return self();
  }

  /**
   * Sends credentials and tokens to insecure (plain-HTTP) registries that are not on loopback. Off
   * by default: anyone on the network path could read them.
   */
  public B sendCredentialsOverPlainHttp() {
    s.credentialsOverPlainHttp = true;
    return self();
  }

  /**
   * Tries {@code mirror} (host[:port]) first for images of {@code registry}, falling back to the
   * registry itself when the mirror fails, as Docker's {@code registry-mirrors} does. Mirrors are
   * tried in the order added. {@code mirror} may also be an OCI image layout, {@code
   * oci-layout://PATH}: see {@link #layoutSource(String)} for how it answers.
   */
  public B mirror(String registry, String mirror) {
    String key = Hosts.canonical(registry);
    Objects.requireNonNull(mirror, "mirror");
    if (mirror.startsWith(dev.ocipin.ImageReference.LAYOUT_SCHEME)) {
      layoutMirror(key, mirror);
      return self();
    }
    s.mirrors.computeIfAbsent(key, k -> new ArrayList<>()).add(mirror);
    return self();
  }

  private void layoutMirror(String key, String layout) {
    String dir = layout.substring(dev.ocipin.ImageReference.LAYOUT_SCHEME.length());
    if (dir.isEmpty()) {
      throw new IllegalArgumentException(
          "a layout mirror needs the layout's directory: oci-layout://PATH, not " + layout);
    }
    if (s.layoutMirrors.containsKey(key)) {
      throw new IllegalStateException(
          "images of " + key + " already come from oci-layout://" + s.layoutMirrors.get(key));
    }
    s.layoutMirrors.put(key, dir);
  }

  /**
   * Answers every registry reference from the OCI image layout {@code oci-layout://PATH}, as an
   * air-gapped mirror of every registry: an image the layout lacks is not found, and no registry is
   * asked unless {@link #fallBackFromLayouts()} is set. A layout entry answers a reference when its
   * {@code org.opencontainers.image.ref.name} (or containerd's {@code io.containerd.image.name}) is
   * that full reference, such as {@code docker.io/library/ruby:3.3.0-slim}. {@code mirror(registry,
   * "oci-layout://PATH")} does the same for one registry.
   */
  public B layoutSource(String layout) {
    Objects.requireNonNull(layout, "layout");
    if (!layout.startsWith(dev.ocipin.ImageReference.LAYOUT_SCHEME)) {
      throw new IllegalArgumentException(
          "a layout source is written oci-layout://PATH, not " + layout);
    }
    layoutMirror(Layouts.EVERY_REGISTRY, layout);
    return self();
  }

  /**
   * Asks a reference's registry when its layout mirror or layout source lacks the image. Off by
   * default: a layout stands in for a registry where the network cannot reach it.
   */
  public B fallBackFromLayouts() {
    s.fallBackFromLayouts = true;
    return self();
  }

  /** Reads at most {@code bytes} of a manifest; a larger one fails. Default 4 MiB. */
  public B maxManifestBytes(long bytes) {
    once(s.maxManifestBytes, "manifest size cap");
    if (bytes <= 0) {
      throw new IllegalArgumentException("manifest size cap must be positive, got " + bytes);
    }
    s.maxManifestBytes = bytes;
    return self();
  }

  /** Uses {@code clock} for token expiry and Retry-After dates. */
  public B clock(Clock clock) {
    once(s.clock, "clock");
    s.clock = Objects.requireNonNull(clock, "clock");
    return self();
  }

  /**
   * Uses {@code ticker} (nanoseconds, as {@link System#nanoTime()}) for monotonic time: deadlines,
   * elapsed times and token freshness. For tests in this package; not API.
   */
  final B ticker(LongSupplier ticker) {
    once(s.ticker, "ticker");
    s.ticker = Objects.requireNonNull(ticker, "ticker");
    return self();
  }

  /** Reports every HTTP request to {@code listener}. */
  public B listener(RequestListener listener) {
    once(s.listener, "listener");
    s.listener = Objects.requireNonNull(listener, "listener");
    return self();
  }

  /**
   * Sends at most {@code requests} requests to one registry at a time; more wait in a queue,
   * without holding a thread. Default 16. Over HTTP/2 they share one connection; over HTTP/1.1 the
   * client keeps a pool of keep-alive connections.
   */
  public B maxConcurrentRequestsPerRegistry(int requests) {
    once(s.maxConcurrentPerRegistry, "concurrent requests per registry");
    if (requests < 1) {
      throw new IllegalArgumentException(
          "concurrent requests per registry must be at least 1, got " + requests);
    }
    s.maxConcurrentPerRegistry = requests;
    return self();
  }

  /**
   * Asks for tokens for up to {@code scopes} repositories in one token request when resolving a
   * batch; default 10. A token that does not cover all of them falls back to one token per
   * repository.
   */
  public B scopesPerTokenRequest(int scopes) {
    once(s.scopesPerTokenRequest, "scopes per token request");
    if (scopes < 1) {
      throw new IllegalArgumentException(
          "scopes per token request must be at least 1, got " + scopes);
    }
    s.scopesPerTokenRequest = scopes;
    return self();
  }

  /**
   * Keeps up to {@code entries} manifests, by digest, in memory (least recently used first out);
   * default 1000. Manifests are immutable by digest, so a cached one is never stale; a tag seen
   * before is confirmed with a HEAD before its cached manifest is used.
   */
  public B manifestCacheSize(int entries) {
    once(s.manifestCacheSize, "manifest cache size");
    if (entries < 0) {
      throw new IllegalArgumentException(
          "manifest cache size must not be negative, got " + entries);
    }
    s.manifestCacheSize = entries;
    return self();
  }

  /**
   * Keeps at most about {@code bytes} of heap in cached manifests (least recently used first out);
   * default 64 MiB. Each manifest is weighed as an estimate of what it holds: its JSON size times
   * four (the bytes received plus the parsed model), so the default keeps about 16 MiB of
   * manifests, and a manifest weighing more than the bound is not cached. Both this and {@link
   * #manifestCacheSize} bound the cache.
   */
  public B manifestCacheBytes(long bytes) {
    once(s.manifestCacheBytes, "manifest cache bytes");
    if (bytes < 0) {
      throw new IllegalArgumentException("manifest cache bytes must not be negative, got " + bytes);
    }
    s.manifestCacheBytes = bytes;
    return self();
  }

  /**
   * Keeps registry challenges and tokens in {@code file} between runs, honouring their expiry, so a
   * short-lived command starts warm. Off by default. The file is written with mode 0600 and never
   * holds a password or refresh token: a token is filed under an HMAC of its credential.
   */
  public B tokenCacheFile(Path file) {
    once(s.tokenCacheFile, "token cache file");
    s.tokenCacheFile = Objects.requireNonNull(file, "file");
    return self();
  }

  /**
   * Tries an idempotent request (HEAD, GET, token GET) at most {@code attempts} times in all when
   * it meets a connection error or 408, 429, 500, 502, 503 or 504; default 4. 1 turns retries off.
   * POSTs are never retried.
   */
  public B maxAttempts(int attempts) {
    once(s.maxAttempts, "max attempts");
    if (attempts < 1) {
      throw new IllegalArgumentException("max attempts must be at least 1, got " + attempts);
    }
    s.maxAttempts = attempts;
    return self();
  }

  /**
   * Waits a random time up to {@code delay * 2^(attempt-1)} before a retry (exponential backoff
   * with full jitter, capped at 30 s); default 250 ms.
   */
  public B retryBaseDelay(Duration delay) {
    once(s.retryBaseDelay, "retry base delay");
    s.retryBaseDelay = positive(delay, "retry base delay");
    return self();
  }

  /**
   * Waits what a registry's {@code Retry-After} asks (seconds or an HTTP date) up to {@code max}; a
   * longer wait fails at once with a {@link RateLimitedException} carrying it. Default 30 s.
   */
  public B maxRetryAfter(Duration max) {
    once(s.maxRetryAfter, "max Retry-After");
    if (max.isNegative()) {
      throw new IllegalArgumentException("max Retry-After must not be negative, got " + max);
    }
    s.maxRetryAfter = max;
    return self();
  }

  /** Stops retrying one request, and its authentication, after {@code timeout}; default 2 min. */
  public B operationTimeout(Duration timeout) {
    once(s.operationTimeout, "operation timeout");
    s.operationTimeout = positive(timeout, "operation timeout");
    return self();
  }

  /**
   * Confirms every digest with a GET whose body is hashed, instead of trusting the {@code
   * Docker-Content-Digest} of a HEAD. Costs a pull on Docker Hub; off by default, since GET results
   * are always verified anyway.
   */
  public B verifyDigests() {
    s.verifyDigests = true;
    return self();
  }

  /**
   * Uses {@code context} (a custom trust store, a client certificate) for TLS connections to {@code
   * registry} (host[:port] as in references). Hostname verification stays on: ocipin never turns it
   * off. Ignored for a registry reached over plain HTTP.
   */
  public B sslContext(String registry, javax.net.ssl.SSLContext context) {
    Objects.requireNonNull(context, "context");
    String key = registry.toLowerCase(Locale.ROOT);
    if (s.tls.containsKey(key)) {
      throw new IllegalStateException("SSL context for " + registry + " was already set");
    }
    s.tls.put(key, context);
    return self();
  }

  /**
   * Trusts the certificate authorities in {@code pemFile} for every registry, in addition to the
   * JVM's trust store (the JDK's CAs, or {@code javax.net.ssl.trustStore} when set) and the
   * registry's {@code certs.d} directory. Repeatable. The command line's {@code --ca-cert FILE}.
   *
   * @throws IllegalArgumentException when the file cannot be read or holds no certificate
   */
  public B trustCertificates(Path pemFile) {
    Objects.requireNonNull(pemFile, "pemFile");
    try {
      Trust.read(pemFile);
    } catch (RegistryException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    s.caFiles.add(pemFile);
    return self();
  }

  /**
   * Looks for per-registry CA files ({@code DIR/HOST[:PORT]/*.crt}) under {@code dirs} instead of
   * the directories docker, containerd and podman use: {@code /etc/docker/certs.d}, {@code
   * /etc/containers/certs.d} and {@code $HOME/.config/containers/certs.d}. An empty list turns the
   * lookup off.
   */
  public B certsDirectories(List<Path> dirs) {
    once(s.certsDirs, "certs.d directories");
    s.certsDirs = List.copyOf(dirs);
    return self();
  }

  /** Builds the registry client these options describe. For subclasses' {@code build()}. */
  protected final RegistryClient buildClient() {
    return s.build();
  }
}
