package io.github.reactivemilvus.internal;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a type, or a member, that is public only so that the library's own packages can use it:
 * it is not API, may change or disappear in any release, and is left out of the published
 * javadoc. Code outside the library should not use it.
 *
 * <p>Every type of {@code io.github.reactivemilvus.internal} carries it (a build rule checks this),
 * as do the public types of other packages that are not API, such as the command line's entry point.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.ANNOTATION_TYPE, ElementType.CONSTRUCTOR, ElementType.FIELD, ElementType.METHOD,
    ElementType.PACKAGE, ElementType.TYPE})
@Internal
public @interface Internal {}
