package dev.ocipin.auth;

import dev.ocipin.auth.internal.Hosts;
import java.util.Objects;
import java.util.Optional;

/**
 * A fixed credential for one registry, such as a CI token, to put in front of a chain:
 *
 * <pre>{@code
 * CredentialChain.of(
 *     StaticCredentials.of("ghcr.io", Credential.basic("bot", token)),
 *     CredentialChain.defaultChain());
 * }</pre>
 *
 * <p>Docker Hub's host names ({@code docker.io}, {@code index.docker.io}, {@code
 * registry-1.docker.io}, {@code registry.docker.com}) all match one another. Thread-safe.
 */
public final class StaticCredentials implements CredentialProvider {
  private final String registry;
  private final Credential credential;

  private StaticCredentials(String registry, Credential credential) {
    this.registry = registry;
    this.credential = credential;
  }

  /** Returns a provider that answers {@code credential} for {@code registry} and nothing else. */
  public static StaticCredentials of(String registry, Credential credential) {
    return new StaticCredentials(
        Hosts.canonical(Objects.requireNonNull(registry, "registry")),
        Objects.requireNonNull(credential, "credential"));
  }

  @Override
  public Optional<Credential> credentialFor(String registry, String repository) {
    return Hosts.canonical(registry).equals(this.registry)
        ? Optional.of(credential)
        : Optional.empty();
  }

  /** Returns {@code static credentials for REGISTRY}, without the secret. */
  @Override
  public String toString() {
    return "static credentials for " + registry;
  }
}
