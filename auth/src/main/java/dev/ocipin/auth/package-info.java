/**
 * Where registry credentials come from. Most users need only {@link
 * dev.ocipin.auth.CredentialChain#defaultChain()}, which looks where {@code docker login} and
 * {@code podman login} write, and {@link dev.ocipin.auth.CredentialProvider} to plug in their own.
 */
@NullMarked
package dev.ocipin.auth;

import org.jspecify.annotations.NullMarked;
