package dev.ocipin.it;

import static dev.ocipin.it.Pusher.utf8;

import dev.ocipin.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Image fixtures pushed into a real registry: Docker Hub's shapes, with real bytes. */
public final class Fixtures {
  /**
   * Where fixtures go: a registry ({@link Pusher}) or an OCI image layout ({@link LayoutWriter}).
   */
  public interface Target {
    /** Stores {@code bytes} as a blob of {@code repository} and returns its digest. */
    Digest blob(String repository, byte[] bytes) throws IOException, InterruptedException;

    /** Stores a manifest under {@code reference} (a tag or its digest) and returns its digest. */
    Digest manifest(String repository, String reference, String mediaType, byte[] body)
        throws IOException, InterruptedException;
  }

  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String DOCKER_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_V2 = "application/vnd.docker.distribution.manifest.v2+json";
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  /** The eight platforms of Docker Hub's ruby:3.3.0-slim. */
  public static final List<String[]> PLATFORMS =
      List.of(
          new String[] {"amd64", null},
          new String[] {"arm", "v5"},
          new String[] {"arm", "v7"},
          new String[] {"arm64", "v8"},
          new String[] {"386", null},
          new String[] {"mips64le", null},
          new String[] {"ppc64le", null},
          new String[] {"s390x", null});

  private Fixtures() {}

  /** What a pushed index consists of. */
  public record Pushed(Digest index, byte[] indexBytes, Map<String, Digest> children) {}

  /**
   * Pushes an OCI index shaped like Docker Hub's official images: 8 platform images whose media
   * type is Docker schema 2, and 8 BuildKit attestation manifests ({@code unknown/unknown}). Each
   * platform image differs by {@code salt}, so pushing again with another salt "rebuilds" the tag.
   */
  public static Pushed dockerHubIndex(Target p, String repo, String tag, String salt)
      throws IOException, InterruptedException {
    Map<String, Digest> children = new LinkedHashMap<>();
    List<String> images = new ArrayList<>();
    List<String> attestations = new ArrayList<>();
    for (String[] platform : PLATFORMS) {
      String arch = platform[0];
      String variant = platform[1];
      String platformJson =
          "{\"architecture\":\""
              + arch
              + "\",\"os\":\"linux\""
              + (variant == null ? "" : ",\"variant\":\"" + variant + "\"")
              + "}";
      byte[] config =
          utf8(
              "{\"architecture\":\""
                  + arch
                  + "\",\"os\":\"linux\""
                  + (variant == null ? "" : ",\"variant\":\"" + variant + "\"")
                  + ",\"config\":{\"Labels\":{\"salt\":\""
                  + salt
                  + "\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
      Digest configDigest = p.blob(repo, config);
      byte[] layer = utf8("layer of " + arch + variant + " " + salt);
      Digest layerDigest = p.blob(repo, layer);
      byte[] manifest =
          utf8(
              "{\"schemaVersion\":2,\"mediaType\":\""
                  + DOCKER_V2
                  + "\",\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"size\":"
                  + config.length
                  + ",\"digest\":\""
                  + configDigest
                  + "\"},\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":"
                  + layer.length
                  + ",\"digest\":\""
                  + layerDigest
                  + "\"}]}");
      Digest manifestDigest =
          p.manifest(repo, Digest.sha256(manifest).toString(), DOCKER_V2, manifest);
      children.put("linux/" + arch + (variant == null ? "" : "/" + variant), manifestDigest);
      images.add(
          "{\"mediaType\":\""
              + DOCKER_V2
              + "\",\"digest\":\""
              + manifestDigest
              + "\",\"size\":"
              + manifest.length
              + ",\"platform\":"
              + platformJson
              + "}");

      byte[] emptyConfig = utf8("{}");
      Digest emptyDigest = p.blob(repo, emptyConfig);
      byte[] statement =
          utf8(
              "{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"subject\":[{\"digest\":{\"sha256\":\""
                  + manifestDigest.encoded()
                  + "\"}}]}");
      Digest statementDigest = p.blob(repo, statement);
      byte[] attestation =
          utf8(
              "{\"schemaVersion\":2,\"mediaType\":\""
                  + OCI_MANIFEST
                  + "\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                  + emptyDigest
                  + "\",\"size\":2},\"layers\":[{\"mediaType\":\"application/vnd.in-toto+json\",\"digest\":\""
                  + statementDigest
                  + "\",\"size\":"
                  + statement.length
                  + ",\"annotations\":{\"in-toto.io/predicate-type\":\"https://slsa.dev/provenance/v0.2\"}}]}");
      Digest attestationDigest =
          p.manifest(repo, Digest.sha256(attestation).toString(), OCI_MANIFEST, attestation);
      attestations.add(
          "{\"mediaType\":\""
              + OCI_MANIFEST
              + "\",\"digest\":\""
              + attestationDigest
              + "\",\"size\":"
              + attestation.length
              + ",\"annotations\":{\"vnd.docker.reference.digest\":\""
              + manifestDigest
              + "\",\"vnd.docker.reference.type\":\"attestation-manifest\"},\"platform\":{\"architecture\":\"unknown\",\"os\":\"unknown\"}}");
    }
    List<String> all = new ArrayList<>(images);
    all.addAll(attestations);
    byte[] index =
        utf8(
            "{\"schemaVersion\":2,\"mediaType\":\""
                + OCI_INDEX
                + "\",\"manifests\":["
                + String.join(",", all)
                + "]}");
    Digest indexDigest = p.manifest(repo, tag, OCI_INDEX, index);
    return new Pushed(indexDigest, index, children);
  }

  /** Pushes a Docker manifest list of two platforms. */
  public static Pushed dockerManifestList(Target p, String repo, String tag)
      throws IOException, InterruptedException {
    Map<String, Digest> children = new LinkedHashMap<>();
    List<String> entries = new ArrayList<>();
    for (String arch : List.of("amd64", "arm64")) {
      byte[] single = singleManifestBytes(p, repo, arch);
      Digest d = p.manifest(repo, Digest.sha256(single).toString(), DOCKER_V2, single);
      children.put("linux/" + arch, d);
      entries.add(
          "{\"mediaType\":\""
              + DOCKER_V2
              + "\",\"size\":"
              + single.length
              + ",\"digest\":\""
              + d
              + "\",\"platform\":{\"architecture\":\""
              + arch
              + "\",\"os\":\"linux\"}}");
    }
    byte[] list =
        utf8(
            "{\"schemaVersion\":2,\"mediaType\":\""
                + DOCKER_LIST
                + "\",\"manifests\":["
                + String.join(",", entries)
                + "]}");
    return new Pushed(p.manifest(repo, tag, DOCKER_LIST, list), list, children);
  }

  /** Pushes one Docker schema 2 manifest for linux/{@code arch} under {@code tag}. */
  public static Pushed singleManifest(Target p, String repo, String tag, String arch)
      throws IOException, InterruptedException {
    byte[] single = singleManifestBytes(p, repo, arch);
    return new Pushed(p.manifest(repo, tag, DOCKER_V2, single), single, Map.of());
  }

  private static byte[] singleManifestBytes(Target p, String repo, String arch)
      throws IOException, InterruptedException {
    byte[] config =
        utf8(
            "{\"architecture\":\""
                + arch
                + "\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
    Digest configDigest = p.blob(repo, config);
    byte[] layer = utf8("single layer " + arch);
    Digest layerDigest = p.blob(repo, layer);
    return utf8(
        "{\"schemaVersion\":2,\"mediaType\":\""
            + DOCKER_V2
            + "\",\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"size\":"
            + config.length
            + ",\"digest\":\""
            + configDigest
            + "\"},\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":"
            + layer.length
            + ",\"digest\":\""
            + layerDigest
            + "\"}]}");
  }
}
