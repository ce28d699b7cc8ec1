package dev.ocipin.auth;

import dev.ocipin.auth.internal.Hosts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The containers {@code auth.json} files that Podman, Buildah and Skopeo write
 * (containers-auth.json(5)). Within a file: {@code credHelpers[registry]}, then {@code auths} from
 * the most specific key to the least ({@code reg/ns/repo}, {@code reg/ns}, {@code reg}).
 */
final class AuthJsonProvider extends SourceProvider {
  private final List<Path> files;
  private final HelperRunner helpers;
  private final TolerantConfig configs;

  AuthJsonProvider(List<Path> files, HelperRunner helpers, TolerantConfig configs) {
    this.files = List.copyOf(files);
    this.helpers = helpers;
    this.configs = configs;
  }

  @Override
  Optional<Found> find(String registry, String repository) throws CredentialException {
    String host = Hosts.canonical(registry);
    for (Path file : files) {
      Optional<ConfigFile> loaded = configs.read(file);
      if (loaded.isEmpty()) {
        continue;
      }
      ConfigFile config = loaded.get();
      for (Map.Entry<String, String> e : config.credHelpers.entrySet()) {
        if (Hosts.canonical(e.getKey()).equals(host)) {
          String serverUrl = Hosts.isDockerHub(registry) ? Hosts.DOCKER_HUB : registry;
          Optional<Credential> c = helpers.get(e.getValue(), serverUrl);
          if (c.isPresent()) {
            return Optional.of(
                new Found(
                    c.get(),
                    "credHelpers["
                        + e.getKey()
                        + "] ("
                        + HelperRunner.program(e.getValue())
                        + ") in "
                        + file));
          }
        }
      }
      Map<String, String> byScope = new LinkedHashMap<>();
      for (String key : config.auths.keySet()) {
        byScope.putIfAbsent(normalizeKey(key), key);
      }
      for (String scope : scopes(host, repository)) {
        String key = byScope.get(scope);
        if (key != null) {
          Optional<Credential> c = config.entry(key);
          if (c.isPresent()) {
            return Optional.of(new Found(c.get(), "auths[" + key + "] in " + file));
          }
        }
      }
    }
    return Optional.empty();
  }

  /** {@code reg/ns/repo}, {@code reg/ns}, {@code reg}: the most specific first. */
  private static List<String> scopes(String host, String repository) {
    List<String> scopes = new ArrayList<>();
    String scope = repository.isEmpty() ? host : host + "/" + repository;
    while (true) {
      scopes.add(scope);
      int slash = scope.lastIndexOf('/');
      if (slash < 0) {
        return scopes;
      }
      scope = scope.substring(0, slash);
    }
  }

  /**
   * Normalises a key as containers/image does: a legacy key with a scheme is reduced to its host,
   * and Docker Hub's host names become {@code docker.io}.
   */
  private static String normalizeKey(String key) {
    if (key.contains("://")) {
      return Hosts.canonical(Hosts.hostOf(key));
    }
    int slash = key.indexOf('/');
    String host = slash < 0 ? key : key.substring(0, slash);
    String rest = slash < 0 ? "" : key.substring(slash);
    return Hosts.canonical(host) + rest;
  }

  @Override
  public String toString() {
    List<String> shown = new java.util.ArrayList<>();
    for (Path f : files) {
      String name = f.toString();
      shown.add(configs.whyIgnored(name).map(why -> name + " (ignored: " + why + ")").orElse(name));
    }
    return shown.size() == 1 ? shown.get(0) : "auth.json " + shown;
  }
}
