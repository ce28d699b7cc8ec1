/** Internals of ocipin-auth, shared with ocipin-core only. Not API. */
@NullMarked
package dev.ocipin.auth.internal;

import org.jspecify.annotations.NullMarked;
