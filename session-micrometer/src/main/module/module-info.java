/**
 * Micrometer metrics and observations for SessionKit's stores. {@code io.sessionkit.redis} is
 * optional: it is read only when the application has it.
 *
 * <p>Micrometer ships no module descriptor, only an {@code Automatic-Module-Name}; its types are
 * part of this module's API, hence the transitive requirement of an automatic module.
 */
@SuppressWarnings({"requires-transitive-automatic", "requires-automatic"})
module io.sessionkit.micrometer {
  requires transitive io.sessionkit.core;
  requires transitive micrometer.core;
  requires transitive micrometer.observation;
  requires static io.sessionkit.redis;
  requires org.slf4j;

  exports io.sessionkit.micrometer;
}
