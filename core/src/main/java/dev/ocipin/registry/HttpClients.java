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
  private final Optional<java.net.Authenticator> proxyAuthenticator;

  HttpClients(
      Duration connectTimeout,
      Optional<Executor> executor,
      Optional<ProxySelector> proxy,
      Optional<java.net.Authenticator> proxyAuthenticator) {
    this.proxyAuthenticator = proxyAuthenticator;
    this.connectTimeout = connectTimeout;
    this.executor = executor;
    this.proxy = proxy;
  }

  /** How long a connection may take to open. */
  Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * Builds a client for plain-HTTP requests only. It is given a TLS context that refuses all use,
   * so that building it does not set up the JVM's default TLS context (reading the trust store
   * costs tens of milliseconds, for a registry that never speaks TLS).
   */
  HttpClient buildPlainOnly() {
    return configure(HttpClient.newBuilder())
        .sslContext(NoTls.CONTEXT)
        .sslParameters(new javax.net.ssl.SSLParameters())
        .build();
  }

  /** Builds a client, with {@code tls} as its TLS settings when given. */
  HttpClient build(Optional<SSLContext> tls) {
    HttpClient.Builder b = configure(HttpClient.newBuilder());
    tls.ifPresent(b::sslContext);
    return b.build();
  }

  private HttpClient.Builder configure(HttpClient.Builder b) {
    b.version(HttpClient.Version.HTTP_2)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(connectTimeout);
    executor.ifPresent(b::executor);
    if (proxy.isPresent()) {
      b.proxy(proxy.get());
      if (proxyAuthenticator.isPresent()) {
        b.authenticator(proxyAuthenticator.get());
      } else if (proxy.get() instanceof ProxySettings) {
        ((ProxySettings) proxy.get()).authenticator().ifPresent(b::authenticator);
      }
    }
    return b;
  }

  /** A TLS context for a client that must never do TLS: every use fails loudly. */
  private static final class NoTls extends javax.net.ssl.SSLContextSpi {
    static final SSLContext CONTEXT = new SSLContext(new NoTls(), null, "none") {};

    private static IllegalStateException refused() {
      return new IllegalStateException("ocipin's plain-HTTP client was asked for TLS");
    }

    @Override
    protected void engineInit(
        javax.net.ssl.KeyManager[] km,
        javax.net.ssl.TrustManager[] tm,
        java.security.SecureRandom random) {}

    @Override
    protected javax.net.ssl.SSLSocketFactory engineGetSocketFactory() {
      throw refused();
    }

    @Override
    protected javax.net.ssl.SSLServerSocketFactory engineGetServerSocketFactory() {
      throw refused();
    }

    @Override
    protected javax.net.ssl.SSLEngine engineCreateSSLEngine() {
      throw refused();
    }

    @Override
    protected javax.net.ssl.SSLEngine engineCreateSSLEngine(String host, int port) {
      throw refused();
    }

    @Override
    protected javax.net.ssl.SSLSessionContext engineGetServerSessionContext() {
      throw refused();
    }

    @Override
    protected javax.net.ssl.SSLSessionContext engineGetClientSessionContext() {
      throw refused();
    }

    @Override
    protected javax.net.ssl.SSLParameters engineGetDefaultSSLParameters() {
      return new javax.net.ssl.SSLParameters();
    }

    @Override
    protected javax.net.ssl.SSLParameters engineGetSupportedSSLParameters() {
      return new javax.net.ssl.SSLParameters();
    }
  }
}
