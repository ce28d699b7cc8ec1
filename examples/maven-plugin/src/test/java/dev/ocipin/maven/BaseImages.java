package dev.ocipin.maven;

import dev.ocipin.Digest;
import dev.ocipin.it.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Base images a real build tool can build on: every layer a gzipped tar whose diff ID the config
 * lists, so that Jib accepts them. {@link Fixtures} pushes manifests only a resolver reads.
 */
final class BaseImages {
  private BaseImages() {}

  /** One platform's image as pushed: its manifest, config and layer. */
  record Platform(Digest manifest, Digest config, Digest layer, Digest diffId) {}

  /**
   * Pushes an OCI index of linux/amd64 and linux/arm64 images under {@code tag}, each with one
   * layer holding {@code /etc/base-release} = {@code release} and a config labelled with it.
   * Returns the index digest and each platform's parts, keyed {@code linux/ARCH}.
   */
  static Map<String, Platform> push(Fixtures.Target t, String repo, String tag, String release)
      throws IOException, InterruptedException {
    Map<String, Platform> out = new LinkedHashMap<>();
    List<String> entries = new ArrayList<>();
    for (String arch : List.of("amd64", "arm64")) {
      byte[] tar =
          tar("etc/base-release", (release + " " + arch + "\n").getBytes(StandardCharsets.UTF_8));
      byte[] gz = gzip(tar);
      Digest diffId = Digest.sha256(tar);
      Digest layer = t.blob(repo, gz);
      byte[] config =
          utf8(
              "{\"architecture\":\""
                  + arch
                  + "\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/usr/local/bin:/usr/bin:/bin\"],"
                  + "\"Labels\":{\"base.release\":\""
                  + release
                  + "\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                  + diffId
                  + "\"]}}");
      Digest configDigest = t.blob(repo, config);
      byte[] manifest =
          utf8(
              "{\"schemaVersion\":2,\"mediaType\":\""
                  + Fixtures.OCI_MANIFEST
                  + "\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
                  + "\"digest\":\""
                  + configDigest
                  + "\",\"size\":"
                  + config.length
                  + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                  + "\"digest\":\""
                  + layer
                  + "\",\"size\":"
                  + gz.length
                  + "}]}");
      Digest m =
          t.manifest(repo, Digest.sha256(manifest).toString(), Fixtures.OCI_MANIFEST, manifest);
      out.put("linux/" + arch, new Platform(m, configDigest, layer, diffId));
      entries.add(
          "{\"mediaType\":\""
              + Fixtures.OCI_MANIFEST
              + "\",\"digest\":\""
              + m
              + "\",\"size\":"
              + manifest.length
              + ",\"platform\":{\"architecture\":\""
              + arch
              + "\",\"os\":\"linux\"}}");
    }
    byte[] index =
        utf8(
            "{\"schemaVersion\":2,\"mediaType\":\""
                + Fixtures.OCI_INDEX
                + "\",\"manifests\":["
                + String.join(",", entries)
                + "]}");
    Digest indexDigest = t.manifest(repo, tag, Fixtures.OCI_INDEX, index);
    out.put("index", new Platform(indexDigest, indexDigest, indexDigest, indexDigest));
    return out;
  }

  /** A POSIX ustar archive of one regular file. */
  static byte[] tar(String name, byte[] content) {
    byte[] header = new byte[512];
    put(header, 0, name);
    put(header, 100, "0000644");
    put(header, 108, "0000000");
    put(header, 116, "0000000");
    put(header, 124, String.format("%011o", content.length));
    put(header, 136, String.format("%011o", 0));
    put(header, 148, "        "); // the checksum counts itself as spaces
    header[156] = '0';
    put(header, 257, "ustar");
    put(header, 263, "00");
    int sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    put(header, 148, String.format("%06o", sum));
    header[154] = 0;
    header[155] = ' ';
    int padded = (content.length + 511) / 512 * 512;
    byte[] out = new byte[512 + padded + 1024];
    System.arraycopy(header, 0, out, 0, 512);
    System.arraycopy(content, 0, out, 512, content.length);
    return out;
  }

  private static void put(byte[] header, int at, String text) {
    byte[] b = text.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, header, at, b.length);
  }

  static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
