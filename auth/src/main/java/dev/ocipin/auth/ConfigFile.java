package dev.ocipin.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocipin.auth.internal.Hosts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A parsed Docker {@code config.json} or containers {@code auth.json}: {@code auths}, {@code
 * credHelpers} and {@code credsStore}. Never holds its source text.
 */
final class ConfigFile {
  /** Built on first use: a chain that never reads a file or runs a helper loads no JSON code. */
  private static final class Lazy {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  final String origin;
  final Map<String, JsonNode> auths;
  final Map<String, String> credHelpers;
  final @Nullable String credsStore;

  private ConfigFile(
      String origin,
      Map<String, JsonNode> auths,
      Map<String, String> credHelpers,
      @Nullable String credsStore) {
    this.origin = origin;
    this.auths = auths;
    this.credHelpers = credHelpers;
    this.credsStore = credsStore;
  }

  /** Reads {@code path}; empty when it does not exist. */
  static Optional<ConfigFile> read(Path path) throws CredentialException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      if (!Files.exists(path)) {
        return Optional.empty();
      }
      throw new CredentialException(
          path + " could not be read: " + e.getClass().getSimpleName(), e);
    }
    return Optional.of(parse(bytes, path.toString()));
  }

  /** Parses config JSON from {@code origin} (a file name, or DOCKER_AUTH_CONFIG). */
  static ConfigFile parse(byte[] bytes, String origin) throws CredentialException {
    JsonNode root;
    try {
      root = Lazy.MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      // Jackson's own message may quote the input, which may hold a secret: give the position only.
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw new CredentialException(origin + " is not valid JSON" + where);
    } catch (IOException e) {
      throw new CredentialException(origin + " could not be read");
    }
    if (root == null || root.isMissingNode()) {
      // An empty file holds no credentials; Docker treats it the same way.
      return new ConfigFile(origin, Map.of(), Map.of(), null);
    }
    if (!root.isObject()) {
      throw new CredentialException(origin + " must hold a JSON object");
    }
    Map<String, JsonNode> auths = new LinkedHashMap<>();
    JsonNode a = root.get("auths");
    if (a != null && !a.isNull()) {
      if (!a.isObject()) {
        throw new CredentialException(origin + ": \"auths\" must be an object");
      }
      for (Map.Entry<String, JsonNode> e : a.properties()) {
        auths.put(e.getKey(), e.getValue());
      }
    }
    Map<String, String> helpers = new LinkedHashMap<>();
    JsonNode h = root.get("credHelpers");
    if (h != null && !h.isNull()) {
      if (!h.isObject()) {
        throw new CredentialException(origin + ": \"credHelpers\" must be an object");
      }
      for (Map.Entry<String, JsonNode> e : h.properties()) {
        if (!e.getValue().isTextual()) {
          throw new CredentialException(
              origin + ": credHelpers[\"" + e.getKey() + "\"] must be a helper name");
        }
        helpers.put(e.getKey(), e.getValue().asText());
      }
    }
    JsonNode s = root.get("credsStore");
    String store = s != null && s.isTextual() && !s.asText().isEmpty() ? s.asText() : null;
    return new ConfigFile(origin, auths, helpers, store);
  }

  /**
   * Returns the keys to try for {@code registry}, in Docker's order: for Docker Hub {@code
   * https://index.docker.io/v1/} then {@code docker.io}; otherwise the registry as written; then
   * any key whose host (without scheme and path) is the registry.
   */
  static <V> List<String> matchingKeys(Map<String, V> map, String registry) {
    List<String> keys = new ArrayList<>();
    boolean hub = Hosts.isDockerHub(registry);
    if (hub) {
      addIfPresent(keys, map, Hosts.DOCKER_HUB_CONFIG_KEY);
      addIfPresent(keys, map, Hosts.DOCKER_HUB);
    }
    addIfPresent(keys, map, registry);
    String wanted = Hosts.canonical(registry);
    for (String key : map.keySet()) {
      if (!keys.contains(key) && Hosts.canonical(Hosts.hostOf(key)).equals(wanted)) {
        keys.add(key);
      }
    }
    return keys;
  }

  private static <V> void addIfPresent(List<String> keys, Map<String, V> map, String key) {
    if (map.containsKey(key) && !keys.contains(key)) {
      keys.add(key);
    }
  }

  /**
   * Decodes one {@code auths} entry; empty when it holds nothing (such as the {@code {}} markers
   * that {@code docker login} leaves when a credsStore holds the secret).
   */
  Optional<Credential> entry(String key) throws CredentialException {
    JsonNode e = auths.get(key);
    String where = origin + ": auths[\"" + key + "\"]";
    if (e == null || e.isNull()) {
      return Optional.empty();
    }
    if (!e.isObject()) {
      throw new CredentialException(where + " must be an object");
    }
    String registryToken = text(e, "registrytoken", where);
    if (!registryToken.isEmpty()) {
      return Optional.of(Credential.registryToken(registryToken));
    }
    String identityToken = text(e, "identitytoken", where);
    if (!identityToken.isEmpty()) {
      return Optional.of(Credential.identityToken(identityToken));
    }
    String auth = text(e, "auth", where);
    if (!auth.isEmpty()) {
      byte[] decoded;
      try {
        decoded = Base64.getDecoder().decode(auth.strip());
      } catch (IllegalArgumentException ex) {
        throw new CredentialException(
            where + ".auth is not valid base64; run `docker login` again or fix the file");
      }
      String pair = new String(decoded, StandardCharsets.UTF_8);
      int colon = pair.indexOf(':');
      if (colon < 0) {
        throw new CredentialException(
            where + ".auth must decode to username:password, and has no ':'");
      }
      // The password may itself contain ':'; only the first one separates.
      return Optional.of(Credential.basic(pair.substring(0, colon), pair.substring(colon + 1)));
    }
    String username = text(e, "username", where);
    String password = text(e, "password", where);
    if (!username.isEmpty() && !password.isEmpty()) {
      return Optional.of(Credential.basic(username, password));
    }
    return Optional.empty();
  }

  private static String text(JsonNode e, String field, String where) throws CredentialException {
    JsonNode v = e.get(field);
    if (v == null || v.isNull()) {
      return "";
    }
    if (!v.isTextual()) {
      throw new CredentialException(where + "." + field + " must be a string");
    }
    return v.asText();
  }
}
