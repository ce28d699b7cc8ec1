package dev.ocipin.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ocipin.auth.Credential;
import dev.ocipin.internal.json.Json;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tokens and challenges kept on disk between runs, so a short-lived command starts warm. Off unless
 * asked for. The file is written with mode 0600 and holds no credential: a token is filed under an
 * HMAC of the credential with a random key kept in the same file, so a changed credential never
 * picks up another's token. Expired tokens are dropped on load.
 */
final class TokenCacheFile {
  private static final System.Logger LOG = System.getLogger("dev.ocipin");

  private final Path file;
  private final Clock clock;
  private final byte[] key;
  private final Map<String, Challenge> challenges = new ConcurrentHashMap<>();
  private final Map<String, JsonNode> tokens = new ConcurrentHashMap<>(); // id -> {token, expires}

  private TokenCacheFile(Path file, Clock clock, byte[] key) {
    this.file = file;
    this.clock = clock;
    this.key = key;
  }

  static TokenCacheFile open(Path file, Clock clock) {
    byte[] key = null;
    TokenCacheFile cache = null;
    try {
      if (Files.exists(file)) {
        JsonNode root = Json.MAPPER.readTree(Files.readAllBytes(file));
        key = HexFormat.of().parseHex(root.path("key").asText(""));
        cache = new TokenCacheFile(file, clock, key);
        for (Map.Entry<String, JsonNode> c : root.path("challenges").properties()) {
          Map<String, String> params = new java.util.LinkedHashMap<>();
          c.getValue()
              .path("params")
              .properties()
              .forEach(p -> params.put(p.getKey(), p.getValue().asText()));
          cache.challenges.put(
              c.getKey(), new Challenge(c.getValue().path("scheme").asText(), params));
        }
        Instant now = clock.instant();
        for (Map.Entry<String, JsonNode> t : root.path("tokens").properties()) {
          if (Instant.ofEpochSecond(t.getValue().path("expires").asLong(0)).isAfter(now)) {
            cache.tokens.put(t.getKey(), t.getValue());
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "ignoring unreadable token cache {0}: {1}",
          file,
          e.getClass().getSimpleName());
      cache = null;
    }
    if (cache == null || key == null || key.length < 16) {
      byte[] fresh = new byte[32];
      new SecureRandom().nextBytes(fresh);
      cache = new TokenCacheFile(file, clock, fresh);
    }
    return cache;
  }

  Map<String, Challenge> challenges() {
    return challenges;
  }

  void challenge(String registry, Challenge c) {
    challenges.put(registry, c);
    save();
  }

  /**
   * The id of a token: the registry whose challenge named the realm, then realm, service, scopes
   * and an HMAC of the credential. A token is only ever looked up for the registry it was fetched
   * for, so a realm one registry named never serves another.
   */
  String id(String registry, String realm, String service, String scopes, Credential credential) {
    String secret;
    if (credential instanceof Credential.Basic) {
      Credential.Basic b = (Credential.Basic) credential;
      secret = "basic\0" + b.username() + "\0" + b.password();
    } else if (credential instanceof Credential.IdentityToken) {
      secret = "identity\0" + ((Credential.IdentityToken) credential).token();
    } else {
      secret = "anonymous";
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      String who = HexFormat.of().formatHex(mac.doFinal(secret.getBytes(StandardCharsets.UTF_8)));
      return registry + " " + realm + " " + service + " " + scopes + " " + who;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A token saved by an earlier run. */
  record Saved(String value, Instant expires) {}

  Optional<Saved> token(String id) {
    JsonNode t = tokens.get(id);
    if (t == null) {
      return Optional.empty();
    }
    Instant expires = Instant.ofEpochSecond(t.path("expires").asLong(0));
    return expires.isAfter(clock.instant())
        ? Optional.of(new Saved(t.path("token").asText(), expires))
        : Optional.empty();
  }

  void token(String id, String value, Instant expires) {
    ObjectNode t =
        Json.MAPPER.createObjectNode().put("token", value).put("expires", expires.getEpochSecond());
    tokens.put(id, t);
    save();
  }

  private synchronized void save() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("version", 1);
    root.put("key", HexFormat.of().formatHex(key));
    ObjectNode cs = root.putObject("challenges");
    challenges.forEach(
        (registry, c) -> {
          ObjectNode n = cs.putObject(registry).put("scheme", c.scheme());
          ObjectNode p = n.putObject("params");
          c.params().forEach(p::put);
        });
    ObjectNode ts = root.putObject("tokens");
    Instant now = clock.instant();
    tokens.forEach(
        (id, t) -> {
          if (Instant.ofEpochSecond(t.path("expires").asLong(0)).isAfter(now)) {
            ts.set(id, t);
          }
        });
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp =
          Files.createTempFile(
              dir,
              ".ocipin-tokens",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.write(tmp, Json.MAPPER.writeValueAsBytes(root));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException | UnsupportedOperationException e) {
      LOG.log(
          Level.WARNING,
          "could not write token cache {0}: {1}",
          file,
          e.getClass().getSimpleName());
    }
  }
}
