/** HTTP transport, challenge parsing and token handling for registry requests. Not API. */
@NullMarked
package dev.ocipin.internal.http;

import org.jspecify.annotations.NullMarked;
