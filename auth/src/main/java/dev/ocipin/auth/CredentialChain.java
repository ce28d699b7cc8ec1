package dev.ocipin.auth;

import dev.ocipin.auth.internal.Home;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Asks credential providers in order; the first answer wins.
 *
 * <p>{@link #defaultChain()} looks where Docker, Podman and CI put credentials, in this order:
 *
 * <ol>
 *   <li>{@code DOCKER_AUTH_CONFIG}: a Docker config as JSON in an environment variable, as GitLab
 *       CI and Testcontainers use it.
 *   <li>The Docker config, {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}:
 *       {@code credHelpers[registry]}, then {@code credsStore}, then {@code auths}. For Docker Hub
 *       the key is {@code https://index.docker.io/v1/}, then {@code docker.io}; otherwise the
 *       registry as written, then keys with a scheme or path such as {@code http://host:5000}.
 *   <li>The containers {@code auth.json} files, as Podman, Buildah and Skopeo write them: {@code
 *       $REGISTRY_AUTH_FILE}, {@code $XDG_RUNTIME_DIR/containers/auth.json}, and {@code
 *       $XDG_CONFIG_HOME/containers/auth.json} (or {@code ~/.config/containers/auth.json}). Within
 *       a file, {@code credHelpers}, then {@code auths} from the most specific key to the least
 *       ({@code reg/ns/repo}, {@code reg/ns}, {@code reg}).
 *   <li>Anonymous.
 * </ol>
 *
 * <p>{@code ~} is {@code $HOME}, as the docker CLI and podman take it, and the JVM's {@code
 * user.home} only when {@code $HOME} is unset: CI systems (GitHub Actions container jobs, GitLab
 * runners, {@code sudo -E}) point {@code HOME} somewhere other than the account's home, and that is
 * where {@code docker login} writes. A config file that is not valid JSON gets one warning naming
 * the file, line and column, and is then passed over as the docker CLI does, so public images still
 * resolve; a refusal's description then names the ignored file and the home directory used.
 *
 * <p>Credential helpers ({@code docker-credential-NAME get}) run without a shell, with a timeout
 * (30 s by default), and at most once per registry for the life of the chain, or per {@link
 * Builder#helperCacheTtl TTL}. A helper that is configured but not installed is skipped with a
 * warning on the {@code dev.ocipin.auth} {@link System.Logger}.
 *
 * <p>To put your own provider first:
 *
 * <pre>{@code
 * CredentialChain chain = CredentialChain.builder()
 *     .first(StaticCredentials.of("ghcr.io", Credential.basic("bot", token)))
 *     .build();
 * }</pre>
 *
 * <p>A chain is immutable and thread-safe.
 */
public final class CredentialChain implements CredentialProvider {
  private static final CredentialProvider ANONYMOUS =
      new SourceProvider() {
        @Override
        Optional<Found> find(String registry, String repository) {
          return Optional.of(new Found(Credential.anonymous(), "anonymous"));
        }

        @Override
        public String toString() {
          return "anonymous";
        }
      };

  private final List<CredentialProvider> providers;
  // Where the default chain's home directory came from, for the "anonymous" description.
  private final Optional<String> home;

  private CredentialChain(List<CredentialProvider> providers, Optional<String> home) {
    this.providers = List.copyOf(providers);
    this.home = home;
  }

  /** Returns a chain of {@code providers}, asked in order. It answers empty if none answers. */
  public static CredentialChain of(CredentialProvider... providers) {
    for (CredentialProvider p : providers) {
      Objects.requireNonNull(p, "provider");
    }
    return new CredentialChain(Arrays.asList(providers), Optional.empty());
  }

  /**
   * Returns the default chain for this process's environment and home directory. On a machine with
   * no configuration it answers {@link Credential#anonymous()}.
   */
  public static CredentialChain defaultChain() {
    return builder().build();
  }

  /** Returns a builder for the default chain with injectable environment, files and processes. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Optional<Credential> credentialFor(String registry, String repository)
      throws CredentialException {
    for (CredentialProvider p : providers) {
      Optional<Credential> c = p.credentialFor(registry, repository);
      if (c.isPresent()) {
        return c;
      }
    }
    return Optional.empty();
  }

  /**
   * Describes which source answers for {@code repository} on {@code registry}, and from which file
   * or helper, without the secret: {@code credHelpers[ghcr.io] (docker-credential-gh) in
   * /home/me/.docker/config.json}. When only the anonymous fallback answers, the description lists
   * what was tried.
   */
  @Override
  public Optional<String> describe(String registry, String repository) throws CredentialException {
    List<String> tried = new ArrayList<>();
    for (CredentialProvider p : providers) {
      if (p == ANONYMOUS) {
        return Optional.of(
            tried.isEmpty()
                ? "anonymous"
                : "anonymous (no credentials for "
                    + registry
                    + " in "
                    + String.join(", ", tried)
                    + home.map(h -> "; home directory " + h).orElse("")
                    + ")");
      }
      Optional<String> d = p.describe(registry, repository);
      if (d.isPresent()) {
        return d;
      }
      tried.add(p.toString());
    }
    return Optional.empty();
  }

  /** Returns the providers in order, such as {@code CredentialChain[DOCKER_AUTH_CONFIG, ...]}. */
  @Override
  public String toString() {
    return providers.stream()
        .map(Object::toString)
        .collect(Collectors.joining(", ", "CredentialChain[", "]"));
  }

  /**
   * Builds the default chain. Each option can be set once; setting one twice fails at once. Not
   * thread-safe; the chain it builds is.
   */
  public static final class Builder {
    private @Nullable Map<String, String> environment;
    private @Nullable Path home;
    private @Nullable FileSystem fileSystem;
    private @Nullable ProcessLauncher launcher;
    private @Nullable Duration helperTimeout;
    private @Nullable Duration helperCacheTtl;
    private @Nullable Clock clock;
    private final List<CredentialProvider> first = new ArrayList<>();

    private Builder() {}

    private static void once(@Nullable Object current, String what) {
      if (current != null) {
        throw new IllegalStateException(what + " was already set to " + current);
      }
    }

    /** Uses {@code environment} instead of {@link System#getenv()}, also for helper processes. */
    public Builder environment(Map<String, String> environment) {
      once(this.environment, "environment");
      this.environment = Map.copyOf(environment);
      return this;
    }

    /**
     * Uses {@code home} as the home directory. By default it is {@code $HOME}, as the docker CLI
     * and podman take it (CI systems set it to a directory other than the account's), else the
     * JVM's {@code user.home}.
     */
    public Builder homeDirectory(Path home) {
      once(this.home, "home directory");
      this.home = Objects.requireNonNull(home, "home");
      return this;
    }

    /** Reads config files from {@code fileSystem} instead of the default file system. */
    public Builder fileSystem(FileSystem fileSystem) {
      once(this.fileSystem, "file system");
      this.fileSystem = Objects.requireNonNull(fileSystem, "fileSystem");
      return this;
    }

    /** Starts credential helpers with {@code launcher}. */
    public Builder processLauncher(ProcessLauncher launcher) {
      once(this.launcher, "process launcher");
      this.launcher = Objects.requireNonNull(launcher, "launcher");
      return this;
    }

    /** Kills a credential helper that has not answered after {@code timeout}; default 30 s. */
    public Builder helperTimeout(Duration timeout) {
      once(this.helperTimeout, "helper timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("helper timeout must be positive, got " + timeout);
      }
      this.helperTimeout = timeout;
      return this;
    }

    /**
     * Forgets a helper's answer after {@code ttl}, so long-lived processes see rotated tokens. By
     * default a helper's answer is kept for the life of the chain.
     */
    public Builder helperCacheTtl(Duration ttl) {
      once(this.helperCacheTtl, "helper cache TTL");
      if (ttl.isNegative()) {
        throw new IllegalArgumentException("helper cache TTL must not be negative, got " + ttl);
      }
      this.helperCacheTtl = ttl;
      return this;
    }

    /** Uses {@code clock} for the helper cache TTL. */
    public Builder clock(Clock clock) {
      once(this.clock, "clock");
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Asks {@code providers}, in order, before any default source. */
    public Builder first(CredentialProvider... providers) {
      for (CredentialProvider p : providers) {
        first.add(Objects.requireNonNull(p, "provider"));
      }
      return this;
    }

    /** Builds the chain. Files are read at each lookup, so later logins are seen. */
    public CredentialChain build() {
      Map<String, String> env = environment != null ? environment : System.getenv();
      FileSystem fs = fileSystem != null ? fileSystem : FileSystems.getDefault();
      Home found = home != null ? new Home(home, home + " (set by the caller)") : Home.of(env, fs);
      Path homeDir = found.path();
      String homeOrigin = found.origin();
      TolerantConfig configs = new TolerantConfig();
      HelperRunner helpers =
          new HelperRunner(
              env,
              launcher != null ? launcher : ProcessLauncher.system(),
              helperTimeout != null ? helperTimeout : Duration.ofSeconds(30),
              helperCacheTtl,
              clock != null ? clock : Clock.systemUTC());

      List<CredentialProvider> chain = new ArrayList<>(first);
      String inline = env.get("DOCKER_AUTH_CONFIG");
      if (inline != null && !inline.isBlank()) {
        chain.add(DockerConfigProvider.environment("DOCKER_AUTH_CONFIG", inline, helpers, configs));
      }
      String dockerConfig = env.get("DOCKER_CONFIG");
      Path configJson =
          dockerConfig != null && !dockerConfig.isBlank()
              ? fs.getPath(dockerConfig, "config.json")
              : homeDir.resolve(".docker").resolve("config.json");
      chain.add(DockerConfigProvider.file(configJson, helpers, configs));

      List<Path> authFiles = new ArrayList<>();
      addIfSet(authFiles, fs, env.get("REGISTRY_AUTH_FILE"));
      String runtime = env.get("XDG_RUNTIME_DIR");
      if (runtime != null && !runtime.isBlank()) {
        authFiles.add(fs.getPath(runtime, "containers", "auth.json"));
      }
      String configHome = env.get("XDG_CONFIG_HOME");
      authFiles.add(
          configHome != null && !configHome.isBlank()
              ? fs.getPath(configHome, "containers", "auth.json")
              : homeDir.resolve(".config").resolve("containers").resolve("auth.json"));
      chain.add(new AuthJsonProvider(authFiles, helpers, configs));
      chain.add(ANONYMOUS);
      return new CredentialChain(chain, Optional.of(homeOrigin));
    }

    private static void addIfSet(List<Path> files, FileSystem fs, @Nullable String path) {
      if (path != null && !path.isBlank()) {
        files.add(fs.getPath(path));
      }
    }
  }
}
