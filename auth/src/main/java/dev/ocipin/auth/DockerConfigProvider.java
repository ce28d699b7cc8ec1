package dev.ocipin.auth;

import dev.ocipin.auth.internal.Hosts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Docker's config: {@code config.json}, or the same JSON in {@code DOCKER_AUTH_CONFIG}. Docker's
 * precedence: {@code credHelpers[registry]}, then {@code credsStore}, then {@code auths}.
 */
final class DockerConfigProvider extends SourceProvider {
  private interface Loader {
    Optional<ConfigFile> load();
  }

  private final String name;
  private final Loader loader;
  private final HelperRunner helpers;
  private final TolerantConfig configs;

  private DockerConfigProvider(
      String name, Loader loader, HelperRunner helpers, TolerantConfig configs) {
    this.name = name;
    this.loader = loader;
    this.helpers = helpers;
    this.configs = configs;
  }

  static DockerConfigProvider file(Path path, HelperRunner helpers, TolerantConfig configs) {
    return new DockerConfigProvider(path.toString(), () -> configs.read(path), helpers, configs);
  }

  static DockerConfigProvider environment(
      String variable, String json, HelperRunner helpers, TolerantConfig configs) {
    return new DockerConfigProvider(
        variable,
        () -> configs.parse(json.getBytes(StandardCharsets.UTF_8), variable),
        helpers,
        configs);
  }

  @Override
  Optional<Found> find(String registry, String repository) throws CredentialException {
    Optional<ConfigFile> loaded = loader.load();
    if (loaded.isEmpty()) {
      return Optional.empty();
    }
    ConfigFile config = loaded.get();
    String serverUrl = Hosts.isDockerHub(registry) ? Hosts.DOCKER_HUB_CONFIG_KEY : registry;
    for (String key : ConfigFile.matchingKeys(config.credHelpers, registry)) {
      String helper = config.credHelpers.get(key);
      Optional<Credential> c = helpers.get(helper, serverUrl);
      if (c.isPresent()) {
        return Optional.of(
            new Found(
                c.get(),
                "credHelpers[" + key + "] (" + HelperRunner.program(helper) + ") in " + name));
      }
    }
    if (config.credsStore != null) {
      Optional<Credential> c = helpers.get(config.credsStore, serverUrl);
      if (c.isPresent()) {
        return Optional.of(
            new Found(
                c.get(),
                "credsStore (" + HelperRunner.program(config.credsStore) + ") in " + name));
      }
    }
    for (String key : ConfigFile.matchingKeys(config.auths, registry)) {
      Optional<Credential> c = config.entry(key);
      if (c.isPresent()) {
        return Optional.of(new Found(c.get(), "auths[" + key + "] in " + name));
      }
    }
    return Optional.empty();
  }

  /** Returns the file or variable, and why it was ignored if it was. */
  @Override
  public String toString() {
    return configs.whyIgnored(name).map(why -> name + " (ignored: " + why + ")").orElse(name);
  }
}
