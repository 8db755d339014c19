/**
 * SessionKit's stores on Redis through Lettuce. Only {@code io.sessionkit.redis} is exported;
 * {@code io.sessionkit.redis.internal} is not API.
 *
 * <p>Lettuce ships no module descriptor, only an {@code Automatic-Module-Name}; its types are part
 * of this module's API, hence the transitive requirement of an automatic module.
 */
@SuppressWarnings({"requires-transitive-automatic", "requires-automatic"})
module io.sessionkit.redis {
  requires transitive io.sessionkit.core;
  requires transitive lettuce.core;
  requires com.fasterxml.jackson.databind;
  requires com.github.benmanes.caffeine;
  requires org.slf4j;

  exports io.sessionkit.redis;
}
