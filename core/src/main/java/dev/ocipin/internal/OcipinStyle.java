package dev.ocipin.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.immutables.value.Value;

/**
 * The one Immutables style of this module, applied in {@code package-info.java}.
 *
 * <p>Generated classes are package-private and hidden behind the abstract type: users see {@code
 * Descriptor.builder()} and {@code Descriptor.Builder}, never an {@code Immutable*} name. Accessors
 * have no {@code get} prefix.
 */
@Target({ElementType.PACKAGE, ElementType.TYPE})
@Retention(RetentionPolicy.SOURCE)
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    overshadowImplementation = true,
    jdkOnly = true,
    allowedClasspathAnnotations = {Override.class},
    defaults = @Value.Immutable(copy = false, prehash = false))
public @interface OcipinStyle {}
