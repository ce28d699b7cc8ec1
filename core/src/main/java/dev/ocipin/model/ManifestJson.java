package dev.ocipin.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ocipin.Digest;
import dev.ocipin.Platform;
import dev.ocipin.internal.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Maps manifests to and from their JSON wire form, by hand, so every error names its field. */
final class ManifestJson {
  // Content-Types that say nothing about which manifest a body is.
  private static final Set<String> GENERIC_TYPES =
      Set.of("application/json", "text/plain", "application/octet-stream", "binary/octet-stream");

  private ManifestJson() {}

  /** A decoded manifest and the media type it was decided to be. */
  record Decoded(Manifest manifest, MediaType mediaType) {}

  /** Decodes {@code body}, checking it against {@code contentType}. */
  static Decoded decode(byte[] body, @Nullable String contentType) throws InvalidManifestException {
    JsonNode root;
    try {
      root = Json.readTree(body, "manifest");
    } catch (Json.MalformedJsonException e) {
      throw new InvalidManifestException(e.getMessage(), e);
    }
    if (!root.isObject()) {
      throw new InvalidManifestException(
          "manifest must be a JSON object, got " + root.getNodeType().name().toLowerCase());
    }
    rejectCaseVariants(root, "manifest");
    MediaType header = headerType(contentType);
    MediaType declared = null;
    Optional<String> declaredText = optionalText(root, "mediaType", "");
    if (declaredText.isPresent()) {
      try {
        declared = MediaType.of(declaredText.get());
      } catch (IllegalArgumentException e) {
        throw new InvalidManifestException("manifest mediaType is blank");
      }
    }

    JsonNode version = root.get("schemaVersion");
    boolean schema1 =
        (header != null && header.isSchema1())
            || (declared != null && declared.isSchema1())
            || (version != null && version.isIntegralNumber() && version.asInt() == 1);
    if (schema1) {
      throw new UnsupportedManifestException(
          "Docker schema 1 manifests are deprecated and unsupported; push the image again with a"
              + " current client to get a schema 2 or OCI manifest");
    }
    if (version == null) {
      throw new InvalidManifestException("manifest has no schemaVersion; expected 2");
    }
    if (!version.isIntegralNumber() || version.asLong() != 2) {
      throw new InvalidManifestException("manifest schemaVersion is " + version + "; expected 2");
    }
    if (header != null && declared != null && !header.equals(declared)) {
      throw new InvalidManifestException(
          "manifest mediaType "
              + declared
              + " contradicts the Content-Type "
              + header
              + "; the registry or a proxy served a body that is not what it says");
    }
    MediaType effective = declared != null ? declared : header;
    boolean index;
    if (effective != null && effective.isIndex()) {
      index = true;
    } else if (effective != null && effective.isManifest()) {
      index = false;
    } else if (root.has("manifests")) {
      index = true;
    } else if (root.has("config")) {
      index = false;
    } else {
      throw new UnsupportedManifestException(
          "unsupported manifest media type "
              + (effective == null ? "(none)" : effective.toString())
              + ": it is neither an image index nor an image manifest");
    }
    if (index) {
      ImageIndex.Builder b = ImageIndex.builder().schemaVersion(2);
      common(root, "", declared, b::mediaType, b::artifactType, b::subject, b::putAllAnnotations);
      JsonNode manifests = root.get("manifests");
      if (manifests == null || !manifests.isArray()) {
        throw new InvalidManifestException("index has no manifests array");
      }
      for (int i = 0; i < manifests.size(); i++) {
        b.addManifests(descriptor(manifests.get(i), "manifests[" + i + "]"));
      }
      return new Decoded(b.build(), effective != null ? effective : MediaType.OCI_INDEX);
    }
    ImageManifest.Builder b = ImageManifest.builder().schemaVersion(2);
    common(root, "", declared, b::mediaType, b::artifactType, b::subject, b::putAllAnnotations);
    JsonNode config = root.get("config");
    if (config == null) {
      throw new InvalidManifestException("image manifest has no config");
    }
    b.config(descriptor(config, "config"));
    JsonNode layers = root.get("layers");
    if (layers != null && !layers.isNull()) {
      if (!layers.isArray()) {
        throw new InvalidManifestException("layers must be an array");
      }
      for (int i = 0; i < layers.size(); i++) {
        b.addLayers(descriptor(layers.get(i), "layers[" + i + "]"));
      }
    }
    return new Decoded(b.build(), effective != null ? effective : MediaType.OCI_MANIFEST);
  }

  private interface Setter<T> {
    void set(T value);
  }

  private static void common(
      JsonNode root,
      String path,
      @Nullable MediaType declared,
      Setter<MediaType> mediaType,
      Setter<String> artifactType,
      Setter<Descriptor> subject,
      Setter<Map<String, String>> annotations)
      throws InvalidManifestException {
    if (declared != null) {
      mediaType.set(declared);
    }
    Optional<String> at = optionalText(root, "artifactType", path);
    if (at.isPresent()) {
      artifactType.set(at.get());
    }
    JsonNode s = root.get("subject");
    if (s != null && !s.isNull()) {
      subject.set(descriptor(s, path + "subject"));
    }
    annotations.set(stringMap(root.get("annotations"), path + "annotations"));
  }

  /**
   * Rejects an object with two keys that differ only in case ({@code "digest"} and {@code
   * "Digest"}): Go's encoding/json, which registries and most tools use, matches keys
   * case-insensitively and keeps the last, while Jackson keeps the exact match, so two readers of
   * one body would see different manifests.
   */
  private static void rejectCaseVariants(JsonNode node, String path)
      throws InvalidManifestException {
    if (node.isObject()) {
      Map<String, String> seen = new java.util.HashMap<>();
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        String key = field.getKey();
        String other = seen.put(key.toLowerCase(java.util.Locale.ROOT), key);
        if (other != null) {
          throw new InvalidManifestException(
              path
                  + " has the keys \""
                  + other
                  + "\" and \""
                  + key
                  + "\", which differ only in case; readers disagree about which counts, so the"
                  + " manifest is ambiguous");
        }
        rejectCaseVariants(field.getValue(), path + "." + key);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        rejectCaseVariants(node.get(i), path + "[" + i + "]");
      }
    }
  }

  private static @Nullable MediaType headerType(@Nullable String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return null;
    }
    MediaType type;
    try {
      type = MediaType.of(contentType);
    } catch (IllegalArgumentException e) {
      return null; // only parameters, such as "; charset=utf-8": says nothing about the body
    }
    return GENERIC_TYPES.contains(type.toString().toLowerCase(java.util.Locale.ROOT)) ? null : type;
  }

  static Descriptor descriptor(JsonNode node, String path) throws InvalidManifestException {
    if (node == null || !node.isObject()) {
      throw new InvalidManifestException(path + " must be a JSON object");
    }
    Descriptor.Builder b = Descriptor.builder();
    String mediaType = requiredText(node, "mediaType", path);
    try {
      b.mediaType(MediaType.of(mediaType));
    } catch (IllegalArgumentException e) {
      throw new InvalidManifestException(path + ".mediaType is blank");
    }
    String digest = requiredText(node, "digest", path);
    try {
      b.digest(Digest.parseLenient(digest));
    } catch (IllegalArgumentException e) {
      throw new InvalidManifestException(path + ".digest: " + e.getMessage());
    }
    JsonNode size = node.get("size");
    if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
      throw new InvalidManifestException(
          path + ".size must be a non-negative integer, got " + (size == null ? "nothing" : size));
    }
    b.size(size.asLong());
    JsonNode urls = node.get("urls");
    if (urls != null && !urls.isNull()) {
      if (!urls.isArray()) {
        throw new InvalidManifestException(path + ".urls must be an array of strings");
      }
      for (int i = 0; i < urls.size(); i++) {
        if (!urls.get(i).isTextual()) {
          throw new InvalidManifestException(path + ".urls[" + i + "] must be a string");
        }
        b.addUrls(urls.get(i).asText());
      }
    }
    b.putAllAnnotations(stringMap(node.get("annotations"), path + ".annotations"));
    JsonNode platform = node.get("platform");
    if (platform != null && !platform.isNull()) {
      b.platform(platform(platform, path + ".platform"));
    }
    optionalText(node, "artifactType", path).ifPresent(b::artifactType);
    Optional<String> data = optionalText(node, "data", path);
    if (data.isPresent()) {
      try {
        java.util.Base64.getDecoder().decode(data.get());
      } catch (IllegalArgumentException e) {
        throw new InvalidManifestException(path + ".data is not valid base64");
      }
      b.data(data.get());
    }
    return b.build();
  }

  private static Platform platform(JsonNode node, String path) throws InvalidManifestException {
    if (!node.isObject()) {
      throw new InvalidManifestException(path + " must be a JSON object");
    }
    String os = requiredText(node, "os", path);
    String arch = requiredText(node, "architecture", path);
    Platform p = Platform.of(os, arch, optionalText(node, "variant", path).orElse(""));
    Optional<String> osVersion = optionalText(node, "os.version", path);
    if (osVersion.isPresent()) {
      p = p.withOsVersion(osVersion.get());
    }
    JsonNode features = node.get("os.features");
    if (features != null && !features.isNull()) {
      if (!features.isArray()) {
        throw new InvalidManifestException(path + ".os.features must be an array of strings");
      }
      List<String> list = new ArrayList<>();
      for (JsonNode f : features) {
        if (!f.isTextual()) {
          throw new InvalidManifestException(path + ".os.features must be an array of strings");
        }
        list.add(f.asText());
      }
      p = p.withOsFeatures(list);
    }
    return p;
  }

  private static String requiredText(JsonNode node, String field, String path)
      throws InvalidManifestException {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new InvalidManifestException(
          path + (path.isEmpty() ? "" : ".") + field + " is missing");
    }
    if (!v.isTextual()) {
      throw new InvalidManifestException(
          path + (path.isEmpty() ? "" : ".") + field + " must be a string");
    }
    return v.asText();
  }

  private static Optional<String> optionalText(JsonNode node, String field, String path)
      throws InvalidManifestException {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw new InvalidManifestException(
          path + (path.isEmpty() ? "" : ".") + field + " must be a string");
    }
    return Optional.of(v.asText());
  }

  private static Map<String, String> stringMap(@Nullable JsonNode node, String path)
      throws InvalidManifestException {
    Map<String, String> map = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return map;
    }
    if (!node.isObject()) {
      throw new InvalidManifestException(path + " must be an object of strings");
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isTextual()) {
        throw new InvalidManifestException(path + "." + e.getKey() + " must be a string");
      }
      map.put(e.getKey(), e.getValue().asText());
    }
    return map;
  }

  /**
   * Reads the platform of an image configuration ({@code os}, {@code architecture}, {@code
   * variant}, {@code os.version}, {@code os.features}); empty when it is not an image config.
   */
  static Optional<Platform> platformOfConfig(byte[] config) {
    try {
      JsonNode root = Json.readTree(config, "image config");
      if (!root.isObject()
          || !root.path("os").isTextual()
          || !root.path("architecture").isTextual()) {
        return Optional.empty();
      }
      return Optional.of(platform(root, "config"));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Encodes a manifest as compact JSON in the field order of the OCI Go types. */
  static byte[] encode(Manifest manifest) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("schemaVersion", manifest.schemaVersion());
    manifest.mediaType().ifPresent(m -> root.put("mediaType", m.toString()));
    manifest.artifactType().ifPresent(a -> root.put("artifactType", a));
    if (manifest instanceof ImageManifest) {
      ImageManifest m = (ImageManifest) manifest;
      root.set("config", encode(m.config()));
      ArrayNode layers = root.putArray("layers");
      m.layers().forEach(d -> layers.add(encode(d)));
    } else {
      ArrayNode manifests = root.putArray("manifests");
      ((ImageIndex) manifest).manifests().forEach(d -> manifests.add(encode(d)));
    }
    manifest.subject().ifPresent(s -> root.set("subject", encode(s)));
    if (!manifest.annotations().isEmpty()) {
      ObjectNode a = root.putObject("annotations");
      manifest.annotations().forEach(a::put);
    }
    try {
      return Json.MAPPER.writeValueAsBytes(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      // A tree of strings and numbers always serializes.
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode encode(Descriptor d) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("mediaType", d.mediaType().toString());
    n.put("digest", d.digest().toString());
    n.put("size", d.size());
    if (!d.urls().isEmpty()) {
      ArrayNode urls = n.putArray("urls");
      d.urls().forEach(urls::add);
    }
    if (!d.annotations().isEmpty()) {
      ObjectNode a = n.putObject("annotations");
      d.annotations().forEach(a::put);
    }
    d.data().ifPresent(data -> n.put("data", data));
    d.platform()
        .ifPresent(
            p -> {
              ObjectNode pn = n.putObject("platform");
              pn.put("architecture", p.architecture());
              pn.put("os", p.os());
              p.osVersion().ifPresent(v -> pn.put("os.version", v));
              if (!p.osFeatures().isEmpty()) {
                ArrayNode features = pn.putArray("os.features");
                p.osFeatures().forEach(features::add);
              }
              p.variant().ifPresent(v -> pn.put("variant", v));
            });
    d.artifactType().ifPresent(a -> n.put("artifactType", a));
    return n;
  }
}
