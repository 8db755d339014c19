/**
 * Embedded Jetty and Tomcat, a probe servlet and an HTTP client with a one-cookie jar, for tests
 * that drive the SessionKit filters over real HTTP. Reusable by the examples module's tests.
 */
@NullMarked
package io.sessionkit.servlet.testsupport;

import org.jspecify.annotations.NullMarked;
