package dev.ocipin.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocipin.auth.internal.Redact;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs {@code docker-credential-NAME get}, as the docker-credential-helpers protocol describes: the
 * server URL on stdin, {@code {"ServerURL","Username","Secret"}} on stdout.
 *
 * <p>Each helper runs at most once per server URL for the life of the runner (or per TTL), however
 * many threads ask at once. A helper gets a timeout, capped output, no shell, and its stderr is
 * discarded so it never reaches a message.
 */
final class HelperRunner {
  /** The exact text helpers print when they hold nothing for the server. */
  static final String NOT_FOUND = "credentials not found in native keychain";

  private static final System.Logger LOG = System.getLogger("dev.ocipin.auth");
  private static final int MAX_OUTPUT = 64 * 1024;

  /** Built on first use: a chain that never reads a file or runs a helper loads no JSON code. */
  private static final class Lazy {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private final Map<String, String> env;
  private final ProcessLauncher launcher;
  private final Duration timeout;
  private final @Nullable Duration ttl;
  private final Clock clock;
  private final ConcurrentHashMap<String, Memo> memo = new ConcurrentHashMap<>();

  private record Memo(CompletableFuture<Optional<Credential>> result, Instant expires) {}

  HelperRunner(
      Map<String, String> env,
      ProcessLauncher launcher,
      Duration timeout,
      @Nullable Duration ttl,
      Clock clock) {
    this.env = Map.copyOf(env);
    this.launcher = launcher;
    this.timeout = timeout;
    this.ttl = ttl;
    this.clock = clock;
  }

  /** Returns the program name for helper {@code name}: {@code docker-credential-NAME}. */
  static String program(String name) {
    return "docker-credential-" + name;
  }

  /**
   * Asks helper {@code name} for {@code serverUrl}'s credential. Empty when the helper has none or
   * is not installed (a warning is logged then).
   */
  Optional<Credential> get(String name, String serverUrl) throws CredentialException {
    String key = name + '\0' + serverUrl;
    Instant now = clock.instant();
    CompletableFuture<Optional<Credential>> mine = new CompletableFuture<>();
    Instant expires = ttl == null ? Instant.MAX : now.plus(ttl);
    Memo m =
        memo.compute(
            key,
            (k, old) ->
                old != null
                        && now.isBefore(old.expires())
                        && !old.result().isCompletedExceptionally()
                    ? old
                    : new Memo(mine, expires));
    if (m.result() == mine) {
      try {
        mine.complete(run(name, serverUrl));
      } catch (CredentialException | RuntimeException e) {
        mine.completeExceptionally(e);
      }
    }
    try {
      return m.result().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CredentialHelperException(
          program(name), -1, program(name) + " was interrupted while waiting for its answer");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof CredentialException) {
        // Every caller waiting on this helper run sees the same failure.
        throw (CredentialException) cause;
      }
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw new CredentialException(program(name) + " failed", cause);
    }
  }

  private Optional<Credential> run(String name, String serverUrl) throws CredentialException {
    String program = program(name);
    Optional<Path> executable = findOnPath(program);
    if (executable.isEmpty()) {
      LOG.log(
          Level.WARNING,
          "credential helper {0} is configured but not on PATH; continuing without it",
          program);
      return Optional.empty();
    }
    Process process;
    try {
      process = launcher.start(List.of(executable.get().toString(), "get"), env);
    } catch (IOException e) {
      throw new CredentialHelperException(
          program, -1, program + " could not be started: " + e.getClass().getSimpleName());
    }
    CompletableFuture<byte[]> stdout = readAsync(process.getInputStream());
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(serverUrl.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // The helper may exit before reading stdin; its exit code and output tell the story.
    }
    boolean exited;
    try {
      exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new CredentialHelperException(program, -1, program + " get was interrupted");
    }
    if (!exited) {
      process.destroyForcibly();
      throw new CredentialHelperException(
          program,
          -1,
          program + " get did not answer within " + timeout.toMillis() + " ms and was killed");
    }
    byte[] out;
    try {
      out = stdout.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new CredentialHelperException(
          program, process.exitValue(), program + " get: its output could not be read");
    }
    if (out == null) {
      throw new CredentialHelperException(
          program,
          process.exitValue(),
          program
              + " get printed more than "
              + MAX_OUTPUT
              + " bytes; expected a small JSON object");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    int exit = process.exitValue();
    if (text.strip().equals(NOT_FOUND)) {
      return Optional.empty();
    }
    if (exit != 0) {
      throw new CredentialHelperException(
          program,
          exit,
          program + " get exited with code " + exit + ": " + Redact.oneLine(text, 120));
    }
    JsonNode json;
    try {
      json = Lazy.MAPPER.readTree(out);
    } catch (IOException e) {
      json = null;
    }
    if (json == null || !json.isObject()) {
      throw new CredentialHelperException(
          program, exit, program + " get did not print a JSON object: " + Redact.oneLine(text, 60));
    }
    String username = text(json, "Username");
    String secret = text(json, "Secret");
    if (secret.isEmpty()) {
      return Optional.empty();
    }
    if (username.equals("<token>")) {
      return Optional.of(Credential.identityToken(secret));
    }
    return Optional.of(Credential.basic(username, secret));
  }

  private static String text(JsonNode json, String field) {
    JsonNode v = json.get(field);
    return v == null || !v.isTextual() ? "" : v.asText();
  }

  private Optional<Path> findOnPath(String program) {
    String path = env.getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Paths.get(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate.toAbsolutePath());
      }
    }
    return Optional.empty();
  }

  /** Reads a stream to its end; completes with null when it exceeds the cap. */
  private static CompletableFuture<byte[]> readAsync(InputStream in) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try (in) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                byte[] chunk = new byte[8192];
                boolean over = false;
                for (int n; (n = in.read(chunk)) >= 0; ) {
                  if (buf.size() + n > MAX_OUTPUT) {
                    over = true;
                    continue; // keep draining so the helper is not blocked on a full pipe
                  }
                  buf.write(chunk, 0, n);
                }
                result.complete(over ? null : buf.toByteArray());
              } catch (IOException e) {
                result.completeExceptionally(e);
              }
            },
            "ocipin-credential-helper-stdout");
    t.setDaemon(true);
    t.start();
    return result;
  }
}
