package dev.ocipin;

import static dev.ocipin.MockRegistry.fixture;
import static dev.ocipin.MockRegistry.manifest;
import static dev.ocipin.MockRegistry.response;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ocipin.auth.Credential;
import dev.ocipin.auth.StaticCredentials;
import dev.ocipin.internal.http.ProxySettings;
import dev.ocipin.registry.RegistryException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A registry reached through an HTTP proxy that asks for credentials, as corporate proxies do. The
 * proxy here is a MockWebServer on loopback that records what it was sent; the registry's name is
 * never resolved, since the client hands it to the proxy.
 */
class ProxyTest {
  private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  private static final byte[] INDEX = fixture("dockerhub-ruby-index.json");
  private static final String PROXY_PASSWORD = "proxy-Pa55w0rd";
  private static final String REGISTRY_PASSWORD = "registry-Pa55w0rd";

  private final MockRegistry proxy = new MockRegistry();
  private final List<String> seen = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    proxy.close();
  }

  private DigestResolver resolver() {
    Map<String, String> env =
        Map.of("HTTP_PROXY", "http://corp-user:" + PROXY_PASSWORD + "@" + proxy.host());
    return TestResolvers.plainHttp()
        .credentials(
            StaticCredentials.of("registry.test:5000", Credential.basic("u", REGISTRY_PASSWORD)))
        .insecureRegistry("registry.test:5000")
        .proxy(ProxySettings.fromEnvironment(env))
        .listener(e -> seen.add(e.toString()))
        .build();
  }

  @Test
  void proxyAsksForCredentials_getsThem_andTheRegistryAnswersThroughIt() throws Exception {
    proxy.enqueue(response(407).addHeader("Proxy-Authenticate", "Basic realm=\"corp\"").build());
    proxy.enqueue(manifest(INDEX, OCI_INDEX));

    assertEquals(
        Digest.sha256(INDEX),
        resolver().resolveIndex("registry.test:5000/library/ruby:3").digest());

    RecordedRequest first = proxy.take();
    assertEquals("http://registry.test:5000/v2/library/ruby/manifests/3", first.getTarget());
    assertNull(first.getHeaders().get("Proxy-Authorization"));
    RecordedRequest second = proxy.take();
    assertEquals(
        "Basic " + Base64.getEncoder().encodeToString(("corp-user:" + PROXY_PASSWORD).getBytes()),
        second.getHeaders().get("Proxy-Authorization"));
    // The registry is insecure and not on loopback: its credentials never travel in the clear.
    assertNull(second.getHeaders().get("Authorization"));
    assertEquals(2, proxy.server.getRequestCount());
    seen.forEach(s -> assertFalse(s.contains(PROXY_PASSWORD), s));
  }

  @Test
  void proxyRefusingTheCredentials_isATypedError_triedOnce_withoutThePassword() {
    proxy.server.setDispatcher(
        new mockwebserver3.Dispatcher() {
          @Override
          public mockwebserver3.MockResponse dispatch(RecordedRequest r) {
            return response(407)
                .addHeader("Proxy-Authenticate", "Basic realm=\"corp\"")
                .body("denied for corp-user:" + PROXY_PASSWORD)
                .build();
          }
        });
    RegistryException e =
        assertThrows(
            RegistryException.class,
            () -> resolver().resolveIndex("registry.test:5000/library/ruby:3"));
    assertEquals(
        "GET manifest registry.test:5000/library/ruby:3: the proxy refused its credentials (407);"
            + " check the user and password given for the proxy (in the HTTPS_PROXY or HTTP_PROXY"
            + " URL, or settings.xml's <proxy>)",
        e.getMessage());
    // The JDK client's own attempts (the first without credentials, then with them until its
    // jdk.httpclient.auth.retrylimit), and no retry of ours on top: 4 attempts would make 20.
    assertEquals(5, proxy.server.getRequestCount());
    seen.forEach(s -> assertFalse(s.contains(PROXY_PASSWORD), s));
  }

  @Test
  void aSelectorOfOneOwn_withAProxyAuthenticator_answersTheProxyOnly() throws Exception {
    proxy.enqueue(response(407).addHeader("Proxy-Authenticate", "Basic realm=\"corp\"").build());
    proxy.enqueue(manifest(INDEX, OCI_INDEX));
    java.net.InetSocketAddress at =
        java.net.InetSocketAddress.createUnresolved("127.0.0.1", proxy.server.getPort());
    java.net.ProxySelector selector =
        new java.net.ProxySelector() {
          @Override
          public List<java.net.Proxy> select(java.net.URI uri) {
            return List.of(new java.net.Proxy(java.net.Proxy.Type.HTTP, at));
          }

          @Override
          public void connectFailed(
              java.net.URI uri, java.net.SocketAddress sa, java.io.IOException e) {}
        };
    List<String> asked = new CopyOnWriteArrayList<>();
    java.net.Authenticator authenticator =
        new java.net.Authenticator() {
          @Override
          protected java.net.PasswordAuthentication getPasswordAuthentication() {
            asked.add(getRequestorType() + " " + getRequestingHost() + ":" + getRequestingPort());
            return getRequestorType() == RequestorType.PROXY
                ? new java.net.PasswordAuthentication("corp-user", PROXY_PASSWORD.toCharArray())
                : null;
          }
        };
    try (DigestResolver r =
        TestResolvers.plainHttp()
            .insecureRegistry("registry.test:5000")
            .proxy(selector)
            .proxyAuthenticator(authenticator)
            .build()) {
      assertEquals(
          Digest.sha256(INDEX), r.resolveIndex("registry.test:5000/library/ruby:3").digest());
    }
    assertNull(proxy.take().getHeaders().get("Proxy-Authorization"));
    assertEquals(
        "Basic " + Base64.getEncoder().encodeToString(("corp-user:" + PROXY_PASSWORD).getBytes()),
        proxy.take().getHeaders().get("Proxy-Authorization"));
    assertEquals(List.of("PROXY 127.0.0.1:" + proxy.server.getPort()), asked);
  }
}
