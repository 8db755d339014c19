/**
 * Implementation details shared by the SessionKit modules. Not API: anything here may change in any
 * release without notice.
 */
@NullMarked
package io.sessionkit.core.internal;

import org.jspecify.annotations.NullMarked;
