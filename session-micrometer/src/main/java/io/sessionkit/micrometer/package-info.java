/**
 * Micrometer meters and observations for SessionKit.
 *
 * <p>{@link io.sessionkit.micrometer.SessionKitMetrics} counts sessions, logins, token checks,
 * revocations and malformed ids, and times every store operation through the Observation API (so a
 * configured tracer gets a span per operation); {@link
 * io.sessionkit.micrometer.SessionCountMetrics} publishes the cluster-wide live sessions and
 * signed-in users of a {@link io.sessionkit.core.SessionCounting} store; {@link
 * io.sessionkit.micrometer.NearCacheMetrics} binds the Redis near cache like any other cache. No
 * meter carries a session id, a handle, a token or a user id in a tag: every tag value comes from a
 * small fixed set.
 */
@NullMarked
package io.sessionkit.micrometer;

import org.jspecify.annotations.NullMarked;
