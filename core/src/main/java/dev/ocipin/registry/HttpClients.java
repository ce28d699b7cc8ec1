package dev.ocipin.registry;

import dev.ocipin.internal.http.ProxySettings;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;

/**
 * Builds the HTTP clients ocipin owns: HTTP/2 preferred, redirects never followed by the client
 * (ocipin follows them by hand, keeping credentials to their origin), the connect timeout, the
 * caller's executor if any, and the proxy selector with an environment proxy's credentials.
 */
final class HttpClients {
  private final Duration connectTimeout;
  private final Optional<Executor> executor;
  private final Optional<ProxySelector> proxy;

  HttpClients(Duration connectTimeout, Optional<Executor> executor, Optional<ProxySelector> proxy) {
    this.connectTimeout = connectTimeout;
    this.executor = executor;
    this.proxy = proxy;
  }

  /** Builds a client, with {@code tls} as its TLS settings when given. */
  HttpClient build(Optional<SSLContext> tls) {
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(connectTimeout);
    tls.ifPresent(b::sslContext);
    executor.ifPresent(b::executor);
    if (proxy.isPresent()) {
      b.proxy(proxy.get());
      if (proxy.get() instanceof ProxySettings) {
        ((ProxySettings) proxy.get()).authenticator().ifPresent(b::authenticator);
      }
    }
    return b.build();
  }
}
