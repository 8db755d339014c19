/**
 * The SessionKit API: one shared source of truth for who is logged in, for Java web applications
 * that run on many servers.
 *
 * <p>The two services are {@link io.sessionkit.core.SessionStore} (server-side sessions with idle
 * and absolute timeouts, login limits, kick-out and end reasons) and {@link
 * io.sessionkit.core.TokenRevocationService} (revocation of bearer tokens, per-user watermarks,
 * refresh-token rotation). {@link io.sessionkit.core.InMemorySessionStore} and {@link
 * io.sessionkit.core.InMemoryTokenRevocationService} are the embedded defaults for a single node;
 * the {@code session-redis} module shares the same state between servers.
 *
 * <p>Every type in this package is null-hostile unless a parameter or return value is marked {@link
 * org.jspecify.annotations.Nullable}; lookups whose absence the caller must handle return {@link
 * java.util.Optional}.
 */
@NullMarked
package io.sessionkit.core;

import org.jspecify.annotations.NullMarked;
