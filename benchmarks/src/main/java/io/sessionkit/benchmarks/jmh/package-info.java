/** JMH benchmarks of SessionKit's hot paths; run with {@code ./benchmarks/jmh}. */
@NullMarked
package io.sessionkit.benchmarks.jmh;

import org.jspecify.annotations.NullMarked;
