/**
 * The image lock: a committed, diff-friendly file that records, for each named base image of a
 * build, the reference asked for and the digest it resolved to, so that a build tool (the Maven
 * plugin, a Gradle {@code buildSrc} script, a CI check) builds on the same bytes every time and
 * needs no network to do so. Start with {@link dev.ocipin.lock.ImageLock}.
 */
@NullMarked
package dev.ocipin.lock;

import org.jspecify.annotations.NullMarked;
