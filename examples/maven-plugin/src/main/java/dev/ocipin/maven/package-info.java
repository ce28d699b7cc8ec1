/**
 * The ocipin Maven plugin: {@code ocipin:lock} writes a committed image lock, {@code
 * ocipin:resolve} turns it into {@code ocipin.image.NAME} properties (for Jib's {@code <from>}),
 * {@code ocipin:check} reports drift of the lock and of the project's Dockerfiles, compose and
 * Kubernetes files, and {@code ocipin:pin} pins those files. It uses ocipin's public API only.
 */
@NullMarked
package dev.ocipin.maven;

import org.jspecify.annotations.NullMarked;
