/**
 * SessionKit for Jakarta Servlet 6: {@link io.sessionkit.servlet.SessionFilter} makes {@code
 * request.getSession()} cluster-wide over any {@link io.sessionkit.core.SessionStore}, and {@link
 * io.sessionkit.servlet.BearerRevocationFilter} refuses revoked bearer tokens on every server.
 *
 * <p>Every type in this package is null-hostile unless a parameter or return value is marked {@link
 * org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.sessionkit.servlet;

import org.jspecify.annotations.NullMarked;
