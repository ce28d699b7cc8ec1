package dev.ocipin.maven;

import dev.ocipin.auth.Credential;
import dev.ocipin.auth.CredentialChain;
import dev.ocipin.auth.CredentialProvider;
import dev.ocipin.auth.StaticCredentials;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * Registry credentials from {@code settings.xml}: a {@code <server>} whose {@code <id>} is a
 * registry host ({@code ghcr.io}, {@code registry.example.com:5000}), as Jib reads them, with its
 * password decrypted as Maven decrypts it ({@code {...}} with {@code settings-security.xml}).
 * Docker Hub's host names match one another. Servers without a user name and password are passed
 * over.
 */
final class SettingsCredentials {
  private SettingsCredentials() {}

  /**
   * The providers for the servers of {@code settings}, in their order. A server whose password
   * cannot be decrypted is reported to {@code warn} by id, never with its secret, and passed over.
   */
  static List<CredentialProvider> of(
      Settings settings, SettingsDecrypter decrypter, Consumer<String> warn) {
    List<CredentialProvider> providers = new ArrayList<>();
    for (Server server : settings.getServers()) {
      if (server.getId() == null
          || server.getUsername() == null
          || server.getPassword() == null
          || server.getId().isBlank()) {
        continue;
      }
      SettingsDecryptionResult r =
          decrypter.decrypt(new DefaultSettingsDecryptionRequest(server.clone()));
      if (!r.getProblems().isEmpty()) {
        SettingsProblem p = r.getProblems().get(0);
        warn.accept(
            "settings.xml server "
                + server.getId()
                + ": its password cannot be decrypted ("
                + p.getMessage()
                + "); its credentials are not used");
        continue;
      }
      Server plain = r.getServer();
      providers.add(
          StaticCredentials.of(
              server.getId().strip(), Credential.basic(plain.getUsername(), plain.getPassword())));
    }
    return providers;
  }

  /** The default chain with the servers of {@code settings} in front. */
  static CredentialProvider chain(
      Settings settings, SettingsDecrypter decrypter, Consumer<String> warn) {
    return CredentialChain.builder()
        .first(of(settings, decrypter, warn).toArray(new CredentialProvider[0]))
        .build();
  }
}
