package dev.ocipin.registry;

import dev.ocipin.auth.CredentialChain;
import dev.ocipin.auth.CredentialProvider;
import dev.ocipin.auth.internal.Home;
import dev.ocipin.internal.http.ProxySettings;
import dev.ocipin.internal.http.RetryPolicy;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link RegistryOptions} builder has been told, and how a {@link RegistryClient} is built
 * from it: the defaults for what was not set, the HTTP clients, the engine's configuration, and
 * what the client owns and must release. The builder holds the API and its checks; this holds the
 * state and the assembly.
 */
final class ClientSettings {
  /** The manifest size cap when none is set: 4 MiB. */
  static final long DEFAULT_MAX_MANIFEST_BYTES = 4L * 1024 * 1024;

  /** The manifest cache's heap bound when none is set: 64 MiB. */
  static final long DEFAULT_MANIFEST_CACHE_BYTES = 64L * 1024 * 1024;

  @Nullable CredentialProvider credentials;
  @Nullable HttpClient httpClient;
  @Nullable Executor executor;
  @Nullable Duration connectTimeout;
  @Nullable Duration requestTimeout;
  final Set<String> insecure = new HashSet<>();
  boolean credentialsOverPlainHttp;
  final Map<String, List<String>> mirrors = new LinkedHashMap<>();
  final Map<String, String> layoutMirrors = new LinkedHashMap<>();
  boolean fallBackFromLayouts;
  @Nullable Long maxManifestBytes;
  @Nullable Clock clock;
  @Nullable RequestListener listener;
  @Nullable Integer maxConcurrentPerRegistry;
  @Nullable Integer scopesPerTokenRequest;
  @Nullable Integer manifestCacheSize;
  @Nullable Long manifestCacheBytes;
  @Nullable Path tokenCacheFile;
  @Nullable Integer maxAttempts;
  @Nullable Duration retryBaseDelay;
  @Nullable Duration maxRetryAfter;
  @Nullable Duration operationTimeout;
  final Map<String, javax.net.ssl.SSLContext> tls = new LinkedHashMap<>();
  boolean verifyDigests;
  @Nullable LongSupplier ticker;
  @Nullable ProxySelector proxy;
  java.net.@Nullable Authenticator proxyAuthenticator;
  final List<Path> caFiles = new ArrayList<>();
  @Nullable List<Path> certsDirs;

  /** Builds the client these settings describe. */
  RegistryClient build() {
    Executor exec = executor != null ? executor : ForkJoinPool.commonPool();
    Optional<ProxySelector> selector =
        proxy != null
            ? Optional.of(proxy)
            : ProxySettings.from(System.getenv(), System.getProperties());
    HttpClients clients =
        new HttpClients(
            connectTimeout != null ? connectTimeout : Duration.ofSeconds(10),
            Optional.ofNullable(executor),
            selector,
            Optional.ofNullable(proxyAuthenticator));
    ClientPool pool =
        new ClientPool(
            clients,
            httpClient,
            tls,
            new Trust(
                caFiles,
                certsDirs != null
                    ? certsDirs
                    : Trust.defaultCertsDirs(
                        Home.of(System.getenv(), FileSystems.getDefault()),
                        FileSystems.getDefault())));
    java.util.concurrent.ExecutorService credentialThreads =
        executor == null ? CredentialLookup.defaultExecutor() : null;
    Transport.Config config =
        new Transport.Config(
            pool,
            credentials != null ? credentials : CredentialChain.defaultChain(),
            Set.copyOf(insecure),
            credentialsOverPlainHttp,
            requestTimeout != null ? requestTimeout : Duration.ofSeconds(30),
            clock != null ? clock : Clock.systemUTC(),
            listener,
            exec,
            executor != null ? executor : credentialThreads,
            ticker != null ? ticker : System::nanoTime,
            "ocipin/0.1",
            maxConcurrentPerRegistry != null ? maxConcurrentPerRegistry : 16,
            scopesPerTokenRequest != null ? scopesPerTokenRequest : 10,
            tokenCacheFile,
            new RetryPolicy(
                maxAttempts != null ? maxAttempts : 4,
                retryBaseDelay != null ? retryBaseDelay : Duration.ofMillis(250),
                maxRetryAfter != null ? maxRetryAfter : Duration.ofSeconds(30),
                operationTimeout != null ? operationTimeout : Duration.ofMinutes(2)));
    Map<String, List<String>> m = new LinkedHashMap<>();
    mirrors.forEach((k, v) -> m.put(k, List.copyOf(v)));
    return new RegistryClient(
        new Transport(config),
        Map.copyOf(m),
        new Layouts(layoutMirrors, fallBackFromLayouts),
        maxManifestBytes != null ? maxManifestBytes : DEFAULT_MAX_MANIFEST_BYTES,
        manifestCacheSize != null ? manifestCacheSize : 1000,
        manifestCacheBytes != null ? manifestCacheBytes : DEFAULT_MANIFEST_CACHE_BYTES,
        verifyDigests,
        new Resources(pool, Optional.ofNullable(credentialThreads)));
  }
}
