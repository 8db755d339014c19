/**
 * The machinery behind SessionKit's Spring Security support. Not API: anything here may change in
 * any release without notice.
 */
@NullMarked
package io.sessionkit.spring.security.internal;

import org.jspecify.annotations.NullMarked;
