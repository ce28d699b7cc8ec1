package dev.ocipin;

import dev.ocipin.registry.RegistryClient;

/**
 * Resolvers and clients for plain-HTTP test servers on loopback. A loopback registry is tried over
 * HTTPS first by default (as docker does); MockWebServer speaks no TLS and would answer that
 * attempt with a scripted response, so exchanges scripted to the request name the range insecure,
 * as a user of a plain-HTTP registry would. {@code TlsFallbackTest} covers the HTTPS attempt.
 */
public final class TestResolvers {
  /** All of IPv4 loopback, as docker's default {@code insecure-registries} names it. */
  public static final String LOOPBACK = "127.0.0.0/8";

  private TestResolvers() {}

  /** A resolver builder that reaches loopback registries over plain HTTP. */
  public static DigestResolver.Builder plainHttp() {
    return DigestResolver.builder().insecureRegistry(LOOPBACK);
  }

  /** A default resolver, but reaching loopback registries over plain HTTP. */
  public static DigestResolver create() {
    return plainHttp().build();
  }

  /** A registry client builder that reaches loopback registries over plain HTTP. */
  public static RegistryClient.Builder client() {
    return RegistryClient.builder().insecureRegistry(LOOPBACK);
  }
}
