package dev.ocipin.model;

import java.util.Map;
import java.util.Optional;

/**
 * A manifest a registry serves: an {@link ImageIndex} or an {@link ImageManifest}.
 *
 * <p>Parse one with {@link Manifests#parse(byte[], String)}; write one with {@link
 * Manifests#toJson(Manifest)}.
 */
public sealed interface Manifest permits ImageIndex, ImageManifest {
  /** Returns the schema version, which is 2 for every supported manifest. */
  int schemaVersion();

  /** Returns the media type written in the body; OCI allows it to be absent. */
  Optional<MediaType> mediaType();

  /** Returns the artifact type, for artifacts. */
  Optional<String> artifactType();

  /** Returns the manifest this one refers to, for referrers such as signatures and SBOMs. */
  Optional<Descriptor> subject();

  /** Returns the annotations, in the order they were given. */
  Map<String, String> annotations();
}
