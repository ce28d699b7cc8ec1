/**
 * The typed OCI and Docker image model: {@link dev.ocipin.model.ImageIndex}, {@link
 * dev.ocipin.model.ImageManifest}, their {@link dev.ocipin.model.Descriptor}s and {@link
 * dev.ocipin.model.MediaType}s.
 *
 * <p>Start with {@link dev.ocipin.model.Manifests#parse(byte[], String)}, which turns the bytes a
 * registry sent into a typed {@link dev.ocipin.model.Manifest} together with the digest of exactly
 * those bytes.
 */
@NullMarked
@OcipinStyle
package dev.ocipin.model;

import dev.ocipin.internal.OcipinStyle;
import org.jspecify.annotations.NullMarked;
