package dev.ocipin.auth;

import java.util.Optional;

/** A built-in provider that knows where each answer came from. */
abstract class SourceProvider implements CredentialProvider {
  abstract Optional<Found> find(String registry, String repository) throws CredentialException;

  @Override
  public final Optional<Credential> credentialFor(String registry, String repository)
      throws CredentialException {
    return find(registry, repository).map(Found::credential);
  }

  @Override
  public final Optional<String> describe(String registry, String repository)
      throws CredentialException {
    return find(registry, repository).map(Found::source);
  }
}
