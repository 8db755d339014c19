/**
 * Runnable examples of SessionKit: {@link io.sessionkit.examples.DemoApp}, a web app served by two
 * nodes (embedded Jetty and Tomcat) that share one session store, and {@link
 * io.sessionkit.examples.ProgrammaticExample}, a walk through the programmatic API. Not API:
 * nothing here is meant to be depended on.
 */
@NullMarked
package io.sessionkit.examples;

import org.jspecify.annotations.NullMarked;
