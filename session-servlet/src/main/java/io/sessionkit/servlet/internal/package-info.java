/**
 * The machinery behind the SessionKit servlet filters: request and response wrappers, the {@code
 * HttpSession} view, cookie parsing and formatting. Not API: anything here may change in any
 * release without notice.
 */
@NullMarked
package io.sessionkit.servlet.internal;

import org.jspecify.annotations.NullMarked;
