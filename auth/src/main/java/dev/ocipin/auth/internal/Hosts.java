package dev.ocipin.auth.internal;

import java.util.Locale;
import java.util.Set;

/** Registry host names: Docker Hub's aliases and Docker's key normalisation. */
public final class Hosts {
  /** The registry Docker Hub references name. */
  public static final String DOCKER_HUB = "docker.io";

  /** The host that serves Docker Hub's registry API. */
  public static final String DOCKER_HUB_API = "registry-1.docker.io";

  /** The key {@code docker login} writes for Docker Hub, and the helpers' server URL. */
  public static final String DOCKER_HUB_CONFIG_KEY = "https://index.docker.io/v1/";

  private static final Set<String> DOCKER_HUB_ALIASES =
      Set.of("docker.io", "index.docker.io", "registry-1.docker.io", "registry.docker.com");

  private Hosts() {}

  /** Returns whether {@code host} is one of Docker Hub's names. */
  public static boolean isDockerHub(String host) {
    return DOCKER_HUB_ALIASES.contains(host.toLowerCase(Locale.ROOT));
  }

  /** Returns the host lowercased, with every Docker Hub alias as {@code docker.io}. */
  public static String canonical(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    return DOCKER_HUB_ALIASES.contains(lower) ? DOCKER_HUB : lower;
  }

  /**
   * Returns the host[:port] of a config key, as Docker's {@code ConvertToHostname}: without scheme
   * and path. {@code https://index.docker.io/v1/} gives {@code index.docker.io}.
   */
  public static String hostOf(String key) {
    String s = key;
    int scheme = s.indexOf("://");
    if (scheme >= 0) {
      s = s.substring(scheme + 3);
    }
    int slash = s.indexOf('/');
    return slash < 0 ? s : s.substring(0, slash);
  }
}
