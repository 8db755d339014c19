/**
 * Contract suites and test helpers for SessionKit implementations.
 *
 * <p>{@link io.sessionkit.testkit.SessionStoreContract} and {@link
 * io.sessionkit.testkit.TokenRevocationContract} specify, once, the behaviour every {@link
 * io.sessionkit.core.SessionStore} and {@link io.sessionkit.core.TokenRevocationService} must have;
 * an implementation runs them through a small subclass. {@link io.sessionkit.testkit.MutableClock}
 * drives time without sleeping, and the recording listeners capture events for assertions.
 */
@NullMarked
package io.sessionkit.testkit;

import org.jspecify.annotations.NullMarked;
