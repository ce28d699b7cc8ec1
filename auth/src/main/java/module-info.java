/**
 * ocipin-auth: finds registry credentials where Docker, Podman and CI put them.
 *
 * <p>Start with {@link dev.ocipin.auth.CredentialChain#defaultChain()}.
 */
// The qualified export names core, which is compiled after auth.
@SuppressWarnings("module")
module dev.ocipin.auth {
  requires com.fasterxml.jackson.databind;
  requires static org.jspecify;

  exports dev.ocipin.auth;
  // Docker Hub host names and helpers shared with core, not API.
  exports dev.ocipin.auth.internal to
      dev.ocipin.core;
}
