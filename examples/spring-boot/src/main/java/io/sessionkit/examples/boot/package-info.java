/**
 * A stock Spring Boot + Spring Security application made cluster-wide by the SessionKit starter:
 * run two instances on one Redis with {@code ./demo spring}.
 */
@NullMarked
package io.sessionkit.examples.boot;

import org.jspecify.annotations.NullMarked;
