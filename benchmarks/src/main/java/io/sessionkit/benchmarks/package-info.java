/**
 * Benchmarks: the load comparison of SessionKit with Spring Session Data Redis ({@link
 * io.sessionkit.benchmarks.Comparison}) and its parts. Not a library: nothing here is API.
 */
@NullMarked
package io.sessionkit.benchmarks;

import org.jspecify.annotations.NullMarked;
