/**
 * Start here: {@link dev.ocipin.ImageReference} parses an image reference the way {@code docker
 * pull} does, {@link dev.ocipin.Digest} is a content digest, and {@link dev.ocipin.Platform} parses
 * and matches platforms the way containerd does.
 */
@NullMarked
@OcipinStyle
package dev.ocipin;

import dev.ocipin.internal.OcipinStyle;
import org.jspecify.annotations.NullMarked;
