package dev.ocipin.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ocipin.Digest;
import dev.ocipin.ImageReference;
import dev.ocipin.InvalidReferenceException;
import dev.ocipin.internal.json.Json;
import dev.ocipin.model.Descriptor;
import dev.ocipin.model.ImageIndex;
import dev.ocipin.model.InvalidManifestException;
import dev.ocipin.model.Manifests;
import dev.ocipin.model.ParsedManifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An OCI image layout on disk, as the image-spec defines it and skopeo, crane, regctl and {@code
 * docker buildx build --output type=oci} write it: {@code oci-layout} (version 1.0.0), {@code
 * index.json}, and {@code blobs/ALG/HEX}. Read as a registry is: every manifest read from {@code
 * blobs/} is hashed and checked against its name and its descriptor's size, unknown fields are
 * tolerated, and nothing outside the layout's directory is read, symlinks included.
 *
 * <p>Opened per lookup, so a layout rewritten between calls is seen as it is now.
 */
final class OciLayout {
  /** The annotation that tags an {@code index.json} entry. */
  static final String REF_NAME = "org.opencontainers.image.ref.name";

  /** containerd's (and buildx's) annotation with the entry's full image name. */
  static final String CONTAINERD_NAME = "io.containerd.image.name";

  private static final long MAX_INDEX_JSON_BYTES = 4L * 1024 * 1024;

  private final Path root;
  private final String shown;
  private final ImageIndex index;

  private OciLayout(Path root, String shown, ImageIndex index) {
    this.root = root;
    this.shown = shown;
    this.index = index;
  }

  /**
   * Opens the layout at {@code dir}.
   *
   * @throws RegistryException when it is not a layout, or one of a version ocipin cannot read
   * @throws InvalidManifestException when {@code index.json} is not an image index
   */
  static OciLayout open(Path dir) throws IOException {
    Path root;
    try {
      root = dir.toRealPath();
    } catch (NoSuchFileException e) {
      throw new ManifestNotFoundException(
          "OCI layout " + dir + " does not exist; give the directory that holds oci-layout",
          List.of());
    }
    String shown = dir.toString();
    Path marker = inside(root, shown, root.resolve("oci-layout"), "oci-layout");
    if (!Files.isRegularFile(marker)) {
      throw new RegistryException(
          shown
              + " is not an OCI image layout: "
              + dir.resolve("oci-layout")
              + " is missing (skopeo copy ... oci:DIR:TAG or docker buildx build --output"
              + " type=oci,tar=false,dest=DIR writes one)",
          0,
          List.of(),
          null);
    }
    JsonNode version;
    try {
      version = Json.MAPPER.readTree(read(marker, 64 * 1024, dir.resolve("oci-layout")));
    } catch (IOException e) {
      throw new InvalidManifestException(
          dir.resolve("oci-layout") + " is not JSON: " + e.getMessage());
    }
    String v = version == null ? "" : version.path("imageLayoutVersion").asText("");
    if (!v.equals("1.0.0")) {
      throw new RegistryException(
          dir.resolve("oci-layout")
              + " says imageLayoutVersion \""
              + v
              + "\"; ocipin reads version 1.0.0 layouts",
          0,
          List.of(),
          null);
    }
    Path indexJson = inside(root, shown, root.resolve("index.json"), "index.json");
    byte[] bytes = read(indexJson, MAX_INDEX_JSON_BYTES, dir.resolve("index.json"));
    ParsedManifest parsed;
    try {
      parsed = Manifests.parse(bytes, dev.ocipin.model.MediaType.OCI_INDEX.toString());
    } catch (InvalidManifestException e) {
      throw new InvalidManifestException(
          dir.resolve("index.json") + " is not an OCI image index: " + e.getMessage());
    }
    if (!(parsed.manifest() instanceof ImageIndex)) {
      throw new InvalidManifestException(
          dir.resolve("index.json") + " is not an OCI image index (it has no manifests list)");
    }
    return new OciLayout(root, shown, (ImageIndex) parsed.manifest());
  }

  /** The entries of {@code index.json}. */
  List<Descriptor> entries() {
    return index.manifests();
  }

  /**
   * Reads and checks the manifest {@code ref} names: for a layout reference, by digest or by tag
   * (an entry's ref name, or the tag of an entry named with a full reference); for a registry
   * reference (a layout standing in for its registry), by digest or by the entry's full image name.
   * A digest that no {@code index.json} entry has names any manifest in {@code blobs/} (a child of
   * an index), read once, its media type from its own bytes.
   *
   * @throws ManifestNotFoundException when no entry matches, listing the names there are
   * @throws DigestMismatchException when the bytes do not hash to their name
   */
  ParsedManifest manifest(ImageReference ref, long maxBytes) throws IOException {
    if (ref.digest().isPresent()) {
      Digest d = ref.digest().get();
      for (Descriptor e : entries()) {
        if (e.digest().equals(d)) {
          return manifest(e, maxBytes);
        }
      }
      return digestedAs(d, Manifests.parse(blob(d, maxBytes, Optional.empty()), null));
    }
    return manifest(find(ref), maxBytes);
  }

  /** The entry a reference without digest names; see {@link #manifest(ImageReference, long)}. */
  private Descriptor find(ImageReference ref) throws IOException {
    List<Descriptor> found = new ArrayList<>();
    for (Descriptor e : entries()) {
      if (matches(e, ref)) {
        found.add(e);
      }
    }
    Set<Digest> distinct = new LinkedHashSet<>();
    found.forEach(e -> distinct.add(e.digest()));
    if (distinct.size() == 1) {
      return found.get(0);
    }
    if (distinct.size() > 1) {
      throw new RegistryException(
          ref
              + ": "
              + distinct.size()
              + " entries of "
              + indexJson()
              + " match; name one of "
              + names(),
          0,
          List.of(),
          null);
    }
    if (ref.isLayout() && ref.tag().isEmpty() && entries().size() == 1) {
      return entries().get(0); // as skopeo does: the only image needs no name
    }
    throw new ManifestNotFoundException(
        ref
            + ": not found in "
            + indexJson()
            + (ref.isLayout() && ref.tag().isEmpty()
                ? " (the layout has several images; name one)"
                : "")
            + "; it has "
            + (entries().isEmpty() ? "no images" : names()),
        List.of());
  }

  private boolean matches(Descriptor e, ImageReference ref) {
    for (String name : refNames(e)) {
      if (ref.isLayout()) {
        String tag = ref.tag().orElse(null);
        if (tag != null
            && (name.equals(tag)
                || fullName(name).flatMap(ImageReference::tag).equals(ref.tag()))) {
          return true;
        }
      } else {
        ImageReference wanted =
            ref.tag().isPresent()
                ? ref
                : ImageReference.parse(ref + ":" + ImageReference.DEFAULT_TAG);
        if (fullName(name).filter(wanted::equals).isPresent()) {
          return true;
        }
      }
    }
    return false;
  }

  /** The names an entry carries: its ref name, and containerd's full image name. */
  private static List<String> refNames(Descriptor e) {
    List<String> out = new ArrayList<>(2);
    Optional.ofNullable(e.annotations().get(REF_NAME)).ifPresent(out::add);
    Optional.ofNullable(e.annotations().get(CONTAINERD_NAME)).ifPresent(out::add);
    return out;
  }

  /** A ref name that is a full reference with a tag ({@code docker.io/library/ruby:3.3}). */
  private static Optional<ImageReference> fullName(String name) {
    if (name.indexOf('/') < 0 && name.indexOf(':') < 0) {
      return Optional.empty(); // a bare tag
    }
    try {
      ImageReference r = ImageReference.parse(name);
      return r.isLayout() || r.tag().isEmpty() ? Optional.empty() : Optional.of(r.withoutDigest());
    } catch (InvalidReferenceException e) {
      return Optional.empty();
    }
  }

  private String names() {
    Set<String> names = new LinkedHashSet<>();
    for (Descriptor e : entries()) {
      List<String> n = refNames(e);
      names.add(n.isEmpty() ? e.digest() + " (no ref name)" : n.get(0));
    }
    return String.join(", ", names);
  }

  private String indexJson() {
    return Path.of(shown).resolve("index.json").toString();
  }

  /** Reads the manifest entry {@code d} describes, checking its size and hash. */
  private ParsedManifest manifest(Descriptor d, long maxBytes) throws IOException {
    byte[] bytes = blob(d.digest(), maxBytes, Optional.of(d.size()));
    return digestedAs(d.digest(), Manifests.parse(bytes, d.mediaType().toString()));
  }

  /** {@code m} named with {@code digest}'s algorithm, as the layout names it. */
  private static ParsedManifest digestedAs(Digest digest, ParsedManifest m) {
    return digest.algorithm().equals(Digest.SHA256) ? m : m.digestedWith(digest.algorithm());
  }

  /**
   * Reads blob {@code digest}, at most {@code maxBytes}, checking its size when known and its hash
   * always.
   */
  byte[] blob(Digest digest, long maxBytes) throws IOException {
    return blob(digest, maxBytes, Optional.empty());
  }

  private byte[] blob(Digest digest, long maxBytes, Optional<Long> size) throws IOException {
    if (!digest.isSupported()) {
      throw new RegistryException(
          "blob " + digest + " uses an algorithm ocipin cannot check; refusing to read it",
          0,
          List.of(),
          null);
    }
    Path shownPath = Path.of(shown, "blobs", digest.algorithm(), digest.encoded());
    Path file =
        inside(
            root,
            shown,
            root.resolve("blobs").resolve(digest.algorithm()).resolve(digest.encoded()),
            "blobs/" + digest.algorithm() + "/" + digest.encoded());
    if (!Files.isRegularFile(file)) {
      throw new ManifestNotFoundException(
          "blob " + digest + " is missing from the layout: " + shownPath + " does not exist",
          List.of());
    }
    long actualSize = Files.size(file);
    if (size.isPresent() && size.get() != actualSize) {
      throw new InvalidManifestException(
          shownPath + " has " + actualSize + " bytes, but its descriptor says " + size.get());
    }
    if (actualSize > maxBytes) {
      throw new ManifestTooLargeException(
          shownPath + " has " + actualSize + " bytes, more than the cap of " + maxBytes, maxBytes);
    }
    byte[] bytes = read(file, maxBytes, shownPath);
    Digest actual = Digest.of(digest.algorithm(), bytes);
    if (!actual.equals(digest)) {
      throw new DigestMismatchException(
          shownPath + " does not hold the blob its name says: its bytes hash to " + actual,
          digest,
          actual);
    }
    return bytes;
  }

  /**
   * Returns {@code file} with symlinks resolved, refusing one that leaves the layout. A file that
   * does not exist is returned as is, for the caller's own message.
   */
  private static Path inside(Path root, String shown, Path file, String relative)
      throws IOException {
    Path real;
    try {
      real = file.toRealPath();
    } catch (NoSuchFileException e) {
      return file;
    }
    if (!real.startsWith(root)) {
      throw new RegistryException(
          Path.of(shown, relative)
              + " leads outside the layout (a symlink to "
              + real
              + "); refusing to read it",
          0,
          List.of(),
          null);
    }
    return real;
  }

  private static byte[] read(Path file, long maxBytes, Path shown) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
      if (bytes.length > maxBytes) {
        throw new ManifestTooLargeException(
            shown + " is larger than the cap of " + maxBytes + " bytes", maxBytes);
      }
      return bytes;
    } catch (NoSuchFileException e) {
      throw new ManifestNotFoundException(shown + " does not exist", List.of());
    }
  }
}
