/** Implementation of the Redis store. Not API: anything here may change in any release. */
@NullMarked
package io.sessionkit.redis.internal;

import org.jspecify.annotations.NullMarked;
