package dev.ocipin;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A container image reference such as {@code docker.io/library/ruby:3.3.0-slim@sha256:...}.
 *
 * <p>{@link #parse(String)} follows the grammar and Docker Hub normalisation of <a
 * href="https://github.com/distribution/reference">distribution/reference</a>, the rules that
 * {@code docker pull} applies:
 *
 * <ul>
 *   <li>The first path component is a registry only if it is {@code localhost} or contains a {@code
 *       .}, a {@code :} or an uppercase letter; otherwise the registry is {@code docker.io}.
 *   <li>{@code index.docker.io} becomes {@code docker.io}, and a one-component Docker Hub name gets
 *       the {@code library/} namespace: {@code ruby} is {@code docker.io/library/ruby}.
 *   <li>The repository path is lowercase and at most 255 characters. A tag matches {@code
 *       [\w][\w.-]{0,127}}. A bare 64-character hex string is rejected, since it is an image ID.
 *   <li>IPv6 registries are written in brackets: {@code [::1]:5000/repo}.
 *   <li>A tag and a digest together are both kept.
 *   <li>No default tag is added: {@link #tag()} is empty for {@code ruby}. Resolving such a
 *       reference uses {@code latest}.
 * </ul>
 *
 * <p>{@code oci-layout://PATH[:TAG][@DIGEST]} names an image in an OCI image layout instead, as
 * BuildKit's {@code --build-context} does; see {@link #isLayout()}.
 *
 * <p>References are immutable values, safe to share between threads. {@link #toString()} gives the
 * canonical form, {@link #familiar()} the short form Docker prints.
 */
public final class ImageReference {
  /** The registry that Docker Hub references name: {@code docker.io}. */
  public static final String DOCKER_HUB = "docker.io";

  /** The default tag, used when a reference without tag or digest is resolved. */
  public static final String DEFAULT_TAG = "latest";

  static final int MAX_PATH_LENGTH = 255;
  private static final String LEGACY_DOCKER_HUB = "index.docker.io";
  private static final String OFFICIAL_PREFIX = "library/";

  // The grammar of distribution/reference regexp.go, translated to java.util.regex.
  private static final String ALPHANUMERIC = "[a-z0-9]+";
  private static final String SEPARATOR = "(?:[._]|__|[-]+)";
  private static final String PATH_COMPONENT =
      ALPHANUMERIC + "(?:" + SEPARATOR + ALPHANUMERIC + ")*";
  private static final String REMOTE_NAME = PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
  private static final String DOMAIN_COMPONENT =
      "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String DOMAIN_NAME = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*";
  private static final String IPV6 = "\\[(?:[a-fA-F0-9:]+)\\]";
  private static final String DOMAIN_AND_PORT =
      "(?:" + DOMAIN_NAME + "|" + IPV6 + ")" + "(?::[0-9]+)?";
  private static final String TAG = "[\\w][\\w.-]{0,127}";
  private static final String DIGEST =
      "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}";

  private static final Pattern REFERENCE =
      Pattern.compile(
          "^((?:"
              + DOMAIN_AND_PORT
              + "/)?"
              + REMOTE_NAME
              + ")(?::("
              + TAG
              + "))?(?:@("
              + DIGEST
              + "))?$");
  private static final Pattern ANCHORED_NAME =
      Pattern.compile("^(?:(" + DOMAIN_AND_PORT + ")/)?(" + REMOTE_NAME + ")$");
  private static final Pattern ANCHORED_DOMAIN = Pattern.compile("^" + DOMAIN_AND_PORT + "$");
  private static final Pattern ANCHORED_PATH_COMPONENT =
      Pattern.compile("^" + PATH_COMPONENT + "$");
  private static final Pattern ANCHORED_TAG = Pattern.compile("^" + TAG + "$");
  private static final Pattern IDENTIFIER = Pattern.compile("^[a-f0-9]{64}$");

  /**
   * The scheme of a reference to an OCI image layout, as BuildKit spells it: {@code
   * oci-layout://PATH[:TAG][@DIGEST]}.
   */
  public static final String LAYOUT_SCHEME = "oci-layout://";

  /** What {@link #registry()} returns for a layout reference. */
  private static final String LAYOUT_REGISTRY = "oci-layout";

  private final String registry;
  private final String repository;
  private final @Nullable String tag;
  private final @Nullable Digest digest;

  private ImageReference(
      String registry, String repository, @Nullable String tag, @Nullable Digest digest) {
    this.registry = registry;
    this.repository = repository;
    this.tag = tag;
    this.digest = digest;
  }

  /**
   * Parses {@code oci-layout://PATH[:TAG][@DIGEST]}: PATH (relative or absolute) is the layout's
   * directory, TAG the ref name of an {@code index.json} entry. A colon starts the tag only when
   * what follows is a tag (no {@code /}).
   */
  private static ImageReference parseLayout(String text) {
    String rest = text.substring(LAYOUT_SCHEME.length());
    Digest digest = null;
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      String d = rest.substring(at + 1);
      try {
        digest = Digest.parse(d);
      } catch (InvalidReferenceException e) {
        throw new InvalidReferenceException(text, e.reason(), d);
      }
      rest = rest.substring(0, at);
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon >= 0 && rest.indexOf('/', colon) < 0) {
      tag = rest.substring(colon + 1);
      if (!ANCHORED_TAG.matcher(tag).matches()) {
        throw new InvalidReferenceException(
            text,
            "invalid tag: a tag is 1 to 128 of [A-Za-z0-9_.-] and does not start with '.' or '-'",
            tag);
      }
      rest = rest.substring(0, colon);
    }
    if (rest.isEmpty()) {
      throw new InvalidReferenceException(
          text, "an OCI layout reference needs the layout's directory: oci-layout://PATH[:TAG]");
    }
    return new ImageReference(LAYOUT_REGISTRY, rest, tag, digest);
  }

  /**
   * Returns whether this reference names an image in an OCI image layout ({@code
   * oci-layout://PATH[:TAG][@DIGEST]}) rather than in a registry.
   */
  public boolean isLayout() {
    return registry.equals(LAYOUT_REGISTRY);
  }

  /** Returns the directory of the OCI image layout this reference names, if it names one. */
  public Optional<String> layoutPath() {
    return isLayout() ? Optional.of(repository) : Optional.empty();
  }

  /**
   * Parses a reference as {@code docker pull} does, normalising Docker Hub names.
   *
   * @throws InvalidReferenceException when the text is not a valid reference; the message says
   *     which part is wrong and why
   */
  public static ImageReference parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      throw new InvalidReferenceException(text, "image reference is empty");
    }
    if (text.startsWith(LAYOUT_SCHEME)) {
      return parseLayout(text);
    }
    if (IDENTIFIER.matcher(text).matches()) {
      throw new InvalidReferenceException(
          text,
          "a bare 64-character hex string is an image ID, not a repository name;"
              + " write REPOSITORY@sha256:HEX to pin a digest");
    }
    DomainSplit split = splitDockerDomain(text);
    String domain = split.domain();
    String remainder = split.remainder();

    int tagSep = remainder.indexOf(':');
    String remote = tagSep < 0 ? remainder : remainder.substring(0, tagSep);
    if (!remote.toLowerCase(Locale.ROOT).equals(remote)) {
      throw new InvalidReferenceException(
          text, "repository name must be lowercase", firstUppercaseComponent(remote));
    }

    Matcher m = REFERENCE.matcher(domain + "/" + remainder);
    if (!m.matches()) {
      throw diagnose(text, domain, split.typed());
    }
    Matcher name = ANCHORED_NAME.matcher(m.group(1));
    if (!name.matches() || name.group(1) == null) {
      // Cannot happen: the name was built as domain + "/" + path and matched above.
      throw new InvalidReferenceException(text, "invalid reference format");
    }
    String path = name.group(2);
    if (path.length() > MAX_PATH_LENGTH) {
      throw new InvalidReferenceException(
          text,
          "repository name must not be more than "
              + MAX_PATH_LENGTH
              + " characters (it has "
              + path.length()
              + ")");
    }
    Digest digest = null;
    if (m.group(3) != null) {
      try {
        digest = Digest.parse(m.group(3));
      } catch (InvalidReferenceException e) {
        throw new InvalidReferenceException(text, e.reason(), e.offendingPart().orElse(m.group(3)));
      }
    }
    return new ImageReference(name.group(1), path, m.group(2), digest);
  }

  /**
   * A reference split at its registry: the domain, the remainder (with {@code library/} added for a
   * Docker Hub official image), and the remainder as the user typed it, for error messages.
   */
  private record DomainSplit(String domain, String remainder, String typed) {}

  /** Splits off the registry as distribution/reference's splitDockerDomain does. */
  private static DomainSplit splitDockerDomain(String name) {
    int slash = name.indexOf('/');
    String domain;
    String remainder;
    if (slash < 0) {
      // A single component is always a Docker Hub official image, never a host name.
      return new DomainSplit(DOCKER_HUB, OFFICIAL_PREFIX + name, name);
    }
    String maybeDomain = name.substring(0, slash);
    String maybeRemote = name.substring(slash + 1);
    String typed = maybeRemote;
    if (maybeDomain.equals("localhost")) {
      domain = maybeDomain;
      remainder = maybeRemote;
    } else if (maybeDomain.equals(LEGACY_DOCKER_HUB)) {
      domain = DOCKER_HUB;
      remainder = maybeRemote;
    } else if (maybeDomain.indexOf('.') >= 0 || maybeDomain.indexOf(':') >= 0) {
      domain = maybeDomain;
      remainder = maybeRemote;
    } else if (!maybeDomain.toLowerCase(Locale.ROOT).equals(maybeDomain)) {
      // Namespaces are lowercase, so an uppercase first component can only be a host.
      domain = maybeDomain;
      remainder = maybeRemote;
    } else {
      domain = DOCKER_HUB;
      remainder = name;
      typed = name;
    }
    if (domain.equals(DOCKER_HUB) && remainder.indexOf('/') < 0) {
      remainder = OFFICIAL_PREFIX + remainder;
    }
    return new DomainSplit(domain, remainder, typed);
  }

  private static String firstUppercaseComponent(String remote) {
    for (String component : remote.split("/", -1)) {
      if (!component.toLowerCase(Locale.ROOT).equals(component)) {
        return component;
      }
    }
    return remote;
  }

  /** Works out which part of a reference that failed the grammar is at fault. */
  private static InvalidReferenceException diagnose(String text, String domain, String remainder) {
    if (!ANCHORED_DOMAIN.matcher(domain).matches()) {
      String why =
          domain.startsWith("[")
              ? "invalid registry: IPv6 addresses are written [hex:hex::hex] without a zone"
              : "invalid registry host";
      return new InvalidReferenceException(text, why, domain);
    }
    String rest = remainder;
    String digestPart = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digestPart = rest.substring(at + 1);
      rest = rest.substring(0, at);
    }
    String tagPart = null;
    int colon = rest.lastIndexOf(':');
    if (colon >= 0 && rest.indexOf('/', colon) < 0) {
      tagPart = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    if (rest.isEmpty()) {
      return new InvalidReferenceException(text, "repository name is empty");
    }
    for (String component : rest.split("/", -1)) {
      if (component.isEmpty()) {
        return new InvalidReferenceException(
            text, "repository name has an empty path component (two slashes, or a trailing one)");
      }
      if (!ANCHORED_PATH_COMPONENT.matcher(component).matches()) {
        return new InvalidReferenceException(
            text,
            "invalid repository name component: use lowercase letters and digits, separated by"
                + " one '.', one or two '_', or any number of '-'",
            component);
      }
    }
    if (tagPart != null && !ANCHORED_TAG.matcher(tagPart).matches()) {
      return new InvalidReferenceException(
          text,
          "invalid tag: a tag is 1 to 128 of [A-Za-z0-9_.-] and does not start with '.' or '-'",
          tagPart);
    }
    if (digestPart != null) {
      try {
        Digest.parse(digestPart);
      } catch (InvalidReferenceException e) {
        return new InvalidReferenceException(
            text, e.reason(), e.offendingPart().orElse(digestPart));
      }
    }
    return new InvalidReferenceException(text, "invalid reference format");
  }

  /**
   * Returns the registry as written, after Docker Hub normalisation: {@code docker.io}, {@code
   * ghcr.io}, {@code localhost:5000}, {@code [::1]:5000}.
   */
  public String registry() {
    return registry;
  }

  /** Returns the repository path within the registry, such as {@code library/ruby}. */
  public String repository() {
    return repository;
  }

  /** Returns {@code registry/repository}, the reference without tag or digest. */
  public String name() {
    return isLayout() ? LAYOUT_SCHEME + repository : registry + "/" + repository;
  }

  /** Returns the tag, or empty when the reference has none (no default is filled in). */
  public Optional<String> tag() {
    return Optional.ofNullable(tag);
  }

  /** Returns the digest, or empty when the reference has none. */
  public Optional<Digest> digest() {
    return Optional.ofNullable(digest);
  }

  /** Returns whether this reference names an image on Docker Hub. */
  public boolean isDockerHub() {
    return registry.equals(DOCKER_HUB);
  }

  /**
   * Returns a copy with {@code tag}, keeping any digest.
   *
   * @throws InvalidReferenceException when the tag does not match {@code [\w][\w.-]{0,127}}
   */
  ImageReference withTag(String tag) {
    Objects.requireNonNull(tag, "tag");
    if (!ANCHORED_TAG.matcher(tag).matches()) {
      throw new InvalidReferenceException(
          tag,
          "invalid tag: a tag is 1 to 128 of [A-Za-z0-9_.-] and does not start with '.' or '-'");
    }
    return new ImageReference(registry, repository, tag, digest);
  }

  /** Returns a copy with {@code digest}, keeping any tag as a hint for the reader. */
  public ImageReference withDigest(Digest digest) {
    return new ImageReference(registry, repository, tag, Objects.requireNonNull(digest, "digest"));
  }

  /** Returns a copy without the digest. */
  public ImageReference withoutDigest() {
    return digest == null ? this : new ImageReference(registry, repository, tag, null);
  }

  /** Returns a copy without the tag. */
  ImageReference withoutTag() {
    return tag == null ? this : new ImageReference(registry, repository, null, digest);
  }

  /**
   * Returns the short form Docker prints: {@code ruby:3.3.0-slim} for an official image, {@code
   * bitnami/redis:7} for another Docker Hub image, and the full name for any other registry.
   */
  public String familiar() {
    String shortName;
    if (isLayout()) {
      shortName = name();
    } else if (registry.equals(DOCKER_HUB)) {
      shortName = repository;
      if (repository.startsWith(OFFICIAL_PREFIX)) {
        String rest = repository.substring(OFFICIAL_PREFIX.length());
        if (rest.indexOf('/') < 0) {
          shortName = rest;
        }
      }
    } else {
      shortName = name();
    }
    return withSuffix(shortName);
  }

  /** Returns the canonical form {@code registry/repository[:tag][@digest]}. */
  @Override
  public String toString() {
    return withSuffix(name());
  }

  private String withSuffix(String base) {
    StringBuilder sb = new StringBuilder(base);
    if (tag != null) {
      sb.append(':').append(tag);
    }
    if (digest != null) {
      sb.append('@').append(digest);
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ImageReference)) {
      return false;
    }
    ImageReference that = (ImageReference) o;
    return registry.equals(that.registry)
        && repository.equals(that.repository)
        && Objects.equals(tag, that.tag)
        && Objects.equals(digest, that.digest);
  }

  @Override
  public int hashCode() {
    return Objects.hash(registry, repository, tag, digest);
  }
}
