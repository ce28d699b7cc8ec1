/** Internals of ocipin-core: not exported by module-info, and not API. */
@NullMarked
package dev.ocipin.internal;

import org.jspecify.annotations.NullMarked;
