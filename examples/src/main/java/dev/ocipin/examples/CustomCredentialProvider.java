package dev.ocipin.examples;

import dev.ocipin.DigestResolver;
import dev.ocipin.auth.Credential;
import dev.ocipin.auth.CredentialChain;
import dev.ocipin.auth.CredentialException;
import dev.ocipin.auth.CredentialProvider;
import dev.ocipin.auth.StaticCredentials;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Plugs a credential source of your own in front of Docker's and Podman's: a CI token for one
 * registry, and a vault (here a map) for the rest; what they do not answer falls through to the
 * default chain. The code samples in the README's credentials section come from here.
 */
public final class CustomCredentialProvider {
  private CustomCredentialProvider() {}

  /** Prints where each registry's credentials would come from; never the secret. */
  public static void main(String[] args) throws CredentialException {
    Map<String, Credential> vault = Map.of("quay.io", Credential.basic("robot", "from-the-vault"));
    CredentialChain chain = chain(System.getenv("GHCR_TOKEN"), vault);
    for (String registry : new String[] {"ghcr.io", "quay.io", "docker.io"}) {
      System.out.println(registry + ": " + chain.describe(registry, "owner/app").orElse("none"));
    }
  }

  /** Builds a chain: the CI token for ghcr.io if set, then {@code vault}, then the defaults. */
  public static CredentialChain chain(@Nullable String ciToken, Map<String, Credential> vault) {
    CredentialProvider fromVault =
        (registry, repository) -> Optional.ofNullable(vault.get(registry));
    CredentialChain.Builder b = CredentialChain.builder().first(fromVault);
    if (ciToken != null) {
      b.first(StaticCredentials.of("ghcr.io", Credential.basic("ci", ciToken)));
    }
    return b.build();
  }

  /** A resolver that uses {@code chain}. */
  public static DigestResolver resolver(CredentialChain chain) {
    return DigestResolver.builder().credentials(chain).build();
  }
}
