/**
 * Internals of the Spring Boot auto-configuration; not API, and never imported from another module.
 */
@NullMarked
package io.sessionkit.spring.boot.internal;

import org.jspecify.annotations.NullMarked;
