/**
 * The low-level Registry HTTP API v2 client and its exceptions.
 *
 * <p>Most users need only {@link dev.ocipin.DigestResolver}. Use {@link
 * dev.ocipin.registry.RegistryClient} to HEAD or GET one manifest, and catch {@link
 * dev.ocipin.registry.RegistryException} and its subclasses to tell failures apart.
 */
@NullMarked
@OcipinStyle
package dev.ocipin.registry;

import dev.ocipin.internal.OcipinStyle;
import org.jspecify.annotations.NullMarked;
