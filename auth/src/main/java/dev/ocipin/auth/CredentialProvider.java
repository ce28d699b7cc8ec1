package dev.ocipin.auth;

import java.util.Optional;

/**
 * Finds the credential for a registry: the plug-in point of ocipin's credential lookup.
 *
 * <p>An empty answer means "not mine, ask the next one", as in a {@link CredentialChain}.
 * Implementations must be thread-safe: one resolver calls them from many threads.
 */
@FunctionalInterface
public interface CredentialProvider {
  /**
   * Returns the credential for {@code repository} on {@code registry}, or empty when this provider
   * has none.
   *
   * @param registry the registry host[:port] as written in the reference, {@code docker.io} for
   *     Docker Hub
   * @param repository the repository path such as {@code library/ruby}, so that namespace-specific
   *     keys can match; a provider may ignore it
   * @throws CredentialException when the source exists but cannot be read, such as a malformed
   *     config file or a failing credential helper
   */
  Optional<Credential> credentialFor(String registry, String repository) throws CredentialException;

  /**
   * Describes where this provider would take the credential for {@code repository} on {@code
   * registry} from, without the secret, or empty when it has none. Error messages use it.
   *
   * <p>The default asks {@link #credentialFor} and names the provider by its {@code toString()}.
   *
   * @throws CredentialException when the source cannot be read
   */
  default Optional<String> describe(String registry, String repository) throws CredentialException {
    return credentialFor(registry, repository).map(c -> toString());
  }
}
