/**
 * HTTP mechanics that know nothing of registries: capped bodies, future composition with
 * cancellation and timeouts, a concurrency limiter, and the secrets sent, for scrubbing. Not API.
 */
@NullMarked
package dev.ocipin.internal.http;

import org.jspecify.annotations.NullMarked;
