/** The JSON wire mapping of manifests and registry responses. Not API. */
@NullMarked
package dev.ocipin.internal.json;

import org.jspecify.annotations.NullMarked;
