package io.sessionkit.spring.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.AccessResult;
import io.sessionkit.core.JsonAttributeCodec;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every Spring Security session value, and plain values beside them, written through a real store
 * with {@link SpringSecurityAttributeCodec} and read back equal (by {@code equals} and field by
 * field). Subclasses give the store.
 */
abstract class CodecRoundTripSuite {
  static final SpringSecurityAttributeCodec CODEC = SpringSecurityAttributeCodec.defaults();

  /**
   * @return a store whose config uses {@link #CODEC}
   */
  abstract SessionStore store();

  /**
   * @return the store that reads back: another connection (another server) where there is one
   */
  SessionStore readerStore() {
    return store();
  }

  private Session readBack(Session written) {
    AccessResult r = readerStore().access(written.id());
    assertThat(r.session()).as("the session is live").isPresent();
    return r.session().orElseThrow();
  }

  @Test
  void everySpringSecurityValueReadsBackEqualFromTheStore() {
    Map<String, Object> values = SecurityValues.all();
    SessionChanges.Builder changes = SessionChanges.builder();
    values.forEach(changes::set);
    Session back = readBack(store().create(changes.build()));
    for (Map.Entry<String, Object> e : values.entrySet()) {
      Object read = back.attribute(e.getKey()).orElseThrow();
      assertThat(read).as(e.getKey()).isExactlyInstanceOf(e.getValue().getClass());
      assertThat(read).as(e.getKey()).usingRecursiveComparison().isEqualTo(e.getValue());
    }
  }

  @Test
  void securityContextAndTokensAreEqualByTheirOwnEquals() {
    Session back =
        readBack(
            store()
                .create(
                    SessionChanges.builder()
                        .set("ctx", SecurityValues.usernamePassword())
                        .set("rm", SecurityValues.rememberMe())
                        .set("anon", SecurityValues.anonymous())
                        .set("oidc", SecurityValues.oidc())
                        .set("factor", SecurityValues.authorities().get(1))
                        .build()));
    assertThat(back.attribute("ctx")).contains(SecurityValues.usernamePassword());
    assertThat(back.attribute("rm")).contains(SecurityValues.rememberMe());
    assertThat(back.attribute("anon")).contains(SecurityValues.anonymous());
    assertThat(back.attribute("oidc")).contains(SecurityValues.oidc());
    // FactorGrantedAuthority's equals includes issuedAt: the nanoseconds survive.
    assertThat(back.attribute("factor")).contains(SecurityValues.authorities().get(1));
  }

  @Test
  void plainValuesAreStoredAsTheDefaultCodecStoresThem() {
    Session written =
        store()
            .create(
                SessionChanges.builder()
                    .set("name", "alice")
                    .set("count", 42L)
                    .set("items", List.of("a", "b"))
                    .set("theme", Map.of("dark", true))
                    .build());
    Session back = readBack(written);
    assertThat(back.attribute("name")).contains("alice");
    assertThat(back.attribute("count")).contains(42L);
    assertThat(back.attribute("items")).contains(List.of("a", "b"));
    assertThat(back.attribute("theme")).contains(Map.of("dark", true));
    JsonAttributeCodec plain = JsonAttributeCodec.defaults();
    assertThat(back.encodedAttributes().get("count")).isEqualTo(plain.encode("count", 42L));
    assertThat(back.encodedAttributes().get("items"))
        .isEqualTo(plain.encode("items", List.of("a", "b")));
    assertThat(plain.decode("count", back.encodedAttributes().get("count"))).isEqualTo(42L);
  }

  @Test
  void aSessionUpdatedWithASecurityContextKeepsItsOtherAttributes() {
    Session s = store().create(SessionChanges.builder().set("cart", 3).build());
    assertThat(
            store()
                .update(
                    s.id(),
                    SessionChanges.builder()
                        .set("SPRING_SECURITY_CONTEXT", SecurityValues.usernamePassword())
                        .build()))
        .isTrue();
    Session back = readBack(s);
    assertThat(back.attribute("cart")).contains(3);
    assertThat(back.attribute("SPRING_SECURITY_CONTEXT"))
        .contains(SecurityValues.usernamePassword());
  }
}
