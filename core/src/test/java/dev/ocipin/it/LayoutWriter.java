package dev.ocipin.it;

import dev.ocipin.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes fixtures as an OCI image layout, byte for byte the same on every run: blobs under {@code
 * blobs/sha256}, and for each manifest stored under a tag an {@code index.json} entry whose {@code
 * org.opencontainers.image.ref.name} is the full reference ({@code
 * docker.io/library/ruby:3.3.0-slim}), as containerd and buildx write it. {@link #finish()} writes
 * {@code index.json} and {@code oci-layout}.
 */
public final class LayoutWriter implements Fixtures.Target {
  private final Path dir;
  private final String registry;
  private final List<String> entries = new ArrayList<>();

  /**
   * @param dir the layout's directory, created if need be
   * @param registry the registry that full ref names start with, such as {@code docker.io}
   */
  public LayoutWriter(Path dir, String registry) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.registry = registry;
  }

  @Override
  public Digest blob(String repository, byte[] bytes) throws IOException {
    Digest d = Digest.sha256(bytes);
    Path file = dir.resolve("blobs").resolve("sha256").resolve(d.encoded());
    Files.createDirectories(file.getParent());
    if (!Files.exists(file)) {
      Files.write(file, bytes);
    }
    return d;
  }

  @Override
  public Digest manifest(String repository, String reference, String mediaType, byte[] body)
      throws IOException {
    Digest d = blob(repository, body);
    if (!reference.contains(":")) { // a tag, not a digest
      entries.add(
          "{\"mediaType\":\""
              + mediaType
              + "\",\"digest\":\""
              + d
              + "\",\"size\":"
              + body.length
              + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\""
              + registry
              + "/"
              + repository
              + ":"
              + reference
              + "\"}}");
    }
    return d;
  }

  /** Writes {@code index.json} and {@code oci-layout}; returns the layout's directory. */
  public Path finish() throws IOException {
    Files.writeString(
        dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}", StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("index.json"),
        "{\"schemaVersion\":2,\"mediaType\":\""
            + Fixtures.OCI_INDEX
            + "\",\"manifests\":["
            + String.join(",", entries)
            + "]}",
        StandardCharsets.UTF_8);
    return dir;
  }
}
