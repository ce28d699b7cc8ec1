/**
 * Pins image references in Dockerfiles, docker-compose files and Kubernetes manifests to digests,
 * and reports drift when a pinned tag has moved upstream.
 *
 * <p>Start with {@link dev.ocipin.pin.Pinner}: {@code plan} computes the edits, {@link
 * dev.ocipin.pin.PinPlan#apply()} writes them atomically, and {@code check} reports each reference
 * as pinned-current, drifted, unpinned, not-found or error.
 */
@NullMarked
@OcipinStyle
package dev.ocipin.pin;

import dev.ocipin.internal.OcipinStyle;
import org.jspecify.annotations.NullMarked;
