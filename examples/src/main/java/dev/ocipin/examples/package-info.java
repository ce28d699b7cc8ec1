/**
 * Small runnable programs that show the library's main uses, compiled with the build so that the
 * samples the Javadoc and README point to cannot go stale: {@link dev.ocipin.examples.ResolveTag}
 * resolves a tag, {@link dev.ocipin.examples.PinAllPlatforms} pins a project's files for every
 * platform, and {@link dev.ocipin.examples.CustomCredentialProvider} plugs in a credential source.
 */
@NullMarked
package dev.ocipin.examples;

import org.jspecify.annotations.NullMarked;
