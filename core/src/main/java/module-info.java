/**
 * ocipin-core: image references, the OCI model, a registry client and a digest resolver.
 *
 * <p>Start with {@code dev.ocipin.DigestResolver} to resolve tags, or {@link
 * dev.ocipin.ImageReference} to parse references.
 */
module dev.ocipin.core {
  requires transitive dev.ocipin.auth;
  requires java.net.http;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.datatype.jsr310;
  requires org.yaml.snakeyaml;
  requires static org.immutables.value;
  requires static org.jspecify;

  exports dev.ocipin;
  exports dev.ocipin.model;
  exports dev.ocipin.registry;
  exports dev.ocipin.pin;
  exports dev.ocipin.lock;
}
