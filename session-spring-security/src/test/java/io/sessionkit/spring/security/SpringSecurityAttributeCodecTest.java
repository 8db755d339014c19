package io.sessionkit.spring.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sessionkit.core.AttributeDecodingException;
import io.sessionkit.core.AttributeEncodingException;
import io.sessionkit.core.JsonAttributeCodec;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.authentication.session.SessionAuthenticationException;

class SpringSecurityAttributeCodecTest {
  private final SpringSecurityAttributeCodec codec = SpringSecurityAttributeCodec.defaults();

  /** An application principal with a creator, as an application would write it. */
  public static final class ShopUser {
    private final String id;
    private final String tier;

    @JsonCreator
    public ShopUser(@JsonProperty("id") String id, @JsonProperty("tier") String tier) {
      this.id = id;
      this.tier = tier;
    }

    public String getId() {
      return id;
    }

    public String getTier() {
      return tier;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ShopUser u && u.id.equals(id) && u.tier.equals(tier);
    }

    @Override
    public int hashCode() {
      return id.hashCode();
    }

    @Override
    public String toString() {
      return id;
    }
  }

  /**
   * A class whose constructor records that it ran: it must never run for a stored value naming it.
   */
  public static final class Canary {
    static final AtomicBoolean CONSTRUCTED = new AtomicBoolean();

    @JsonCreator
    public Canary(@JsonProperty("x") String x) {
      CONSTRUCTED.set(true);
    }
  }

  private static SecurityContextImpl contextOf(Object principal) {
    return new SecurityContextImpl(
        UsernamePasswordAuthenticationToken.authenticated(
            principal, null, List.of(new SimpleGrantedAuthority("ROLE_USER"))));
  }

  @Test
  void springValuesAreStoredInTheEnvelopeAndPlainValuesAsTheDelegateStoresThem() {
    assertThat(codec.encode("ctx", SecurityValues.usernamePassword()))
        .startsWith(
            "{\"@springSecurity\":{\"@class\":\"org.springframework.security.core.context.SecurityContextImpl\"");
    JsonAttributeCodec plain = JsonAttributeCodec.defaults();
    for (Object v : List.of("text", 7, 7L, 2.5, true, List.of(1, 2), Map.of("k", "v"))) {
      assertThat(codec.encode("v", v)).isEqualTo(plain.encode("v", v));
      assertThat(codec.decode("v", plain.encode("v", v))).isEqualTo(v);
    }
  }

  @Test
  void anApplicationPrincipalThatIsNotAllowedIsRefusedAtWriteTimeNamingAttributeTypeAndCause() {
    assertThatThrownBy(
            () -> codec.encode("SPRING_SECURITY_CONTEXT", contextOf(new ShopUser("u1", "gold"))))
        .isInstanceOf(AttributeEncodingException.class)
        .hasMessageContaining("attribute 'SPRING_SECURITY_CONTEXT'")
        .hasMessageContaining(
            "of type org.springframework.security.core.context.SecurityContextImpl")
        .hasMessageContaining("can be written but not read back")
        .hasMessageContaining(ShopUser.class.getName())
        .hasMessageContaining("allowType")
        .satisfies(
            e ->
                assertThat(((AttributeEncodingException) e).attributeName())
                    .isEqualTo("SPRING_SECURITY_CONTEXT"));
  }

  /**
   * An application type that was allowed but that Jackson cannot construct: no creator, no default
   * constructor.
   */
  public static final class NoCreator {
    private final String name;

    public NoCreator(String name, int unused) {
      this.name = name;
    }

    public String getName() {
      return name;
    }
  }

  /** An application Authentication: Spring Security's type, the application's class. */
  public static final class ShopToken extends AbstractAuthenticationToken {
    private static final long serialVersionUID = 1L;

    public ShopToken() {
      super(List.of());
    }

    @Override
    public Object getCredentials() {
      return "";
    }

    @Override
    public Object getPrincipal() {
      return "shop";
    }
  }

  @Test
  void anAllowedTypeWithoutACreatorIsRefusedAtWriteTime() {
    SpringSecurityAttributeCodec allowing =
        SpringSecurityAttributeCodec.builder().allowType(NoCreator.class).build();
    assertThatThrownBy(() -> allowing.encode("ctx", contextOf(new NoCreator("x", 1))))
        .isInstanceOf(AttributeEncodingException.class)
        .hasMessageContaining("attribute 'ctx'")
        .hasMessageContaining("can be written but not read back")
        .hasMessageContaining(NoCreator.class.getSimpleName());
  }

  @Test
  void anApplicationsOwnAuthenticationGoesThroughSpringSecuritysJsonAndNeedsAllowing() {
    assertThat(codec.handles(ShopToken.class)).isTrue();
    assertThat(codec.handles(String.class)).isFalse();
    assertThatThrownBy(() -> codec.encode("auth", new ShopToken()))
        .isInstanceOf(AttributeEncodingException.class)
        .hasMessageContaining("can be written but not read back")
        .hasMessageContaining("allowType");
  }

  @Test
  void anAllowedApplicationPrincipalRoundTrips() {
    SpringSecurityAttributeCodec withShop =
        SpringSecurityAttributeCodec.builder().allowType(ShopUser.class).build();
    SecurityContextImpl ctx = contextOf(new ShopUser("u1", "gold"));
    Object back = withShop.decode("ctx", withShop.encode("ctx", ctx));
    assertThat(back).isEqualTo(ctx);
    // The principal itself, stored on its own, goes the same way.
    assertThat(withShop.decode("p", withShop.encode("p", new ShopUser("u2", "silver"))))
        .isEqualTo(new ShopUser("u2", "silver"));
  }

  @Test
  void
      aStoredValueNamingAClassOutsideTheAllowlistIsNeverInstantiatedAndTheFailureNamesAttributeTypeAndCause() {
    Canary.CONSTRUCTED.set(false);
    String planted =
        "{\"@springSecurity\":{\"@class\":\"" + Canary.class.getName() + "\",\"x\":\"boom\"}}";
    assertThatThrownBy(() -> codec.decode("SPRING_SECURITY_CONTEXT", planted))
        .isInstanceOf(AttributeDecodingException.class)
        .hasMessageContaining("attribute 'SPRING_SECURITY_CONTEXT'")
        .hasMessageContaining("of type " + Canary.class.getName())
        .hasMessageContaining("InvalidTypeIdException");
    assertThat(Canary.CONSTRUCTED).isFalse();
  }

  @Test
  void aDecodeFailureNamesTheRootCauseOnceWithoutJacksonsLocationText() {
    String broken =
        "{\"@springSecurity\":{\"@class\":\"org.springframework.security.web.csrf.DefaultCsrfToken\","
            + "\"headerName\":\"X-CSRF-TOKEN\"}}";
    assertThatThrownBy(() -> codec.decode("csrf", broken))
        .isInstanceOf(AttributeDecodingException.class)
        .hasMessageStartingWith(
            "attribute 'csrf' of type org.springframework.security.web.csrf.DefaultCsrfToken could not"
                + " be decoded: ")
        .hasMessageNotContaining("[Source");
  }

  @Test
  void garbageAndTruncatedEnvelopesAreDecodingExceptions() {
    assertThatThrownBy(() -> codec.decode("a", "{\"@springSecurity\":{\"@class\":\"x\""))
        .isInstanceOf(AttributeDecodingException.class)
        .hasMessageContaining("attribute 'a'");
    assertThatThrownBy(() -> codec.decode("a", "{\"@springSecurity\":[1,2}"))
        .isInstanceOf(AttributeDecodingException.class)
        .hasMessageContaining("attribute 'a'");
    assertThatThrownBy(() -> codec.decode("a", "\u00ac\u00ed\u0000\u0005sr"))
        .isInstanceOf(AttributeDecodingException.class);
  }

  @Test
  void aPlainMapThatWouldLookLikeTheEnvelopeIsRefused() {
    assertThatThrownBy(() -> codec.encode("m", Map.of("@springSecurity", "x")))
        .isInstanceOf(AttributeEncodingException.class)
        .hasMessageContaining("reserved");
  }

  @Test
  void authenticationExceptionsOfALoginFailureAreKeptAsClassAndMessageWithoutStackTrace() {
    for (Object e :
        List.of(
            new SessionAuthenticationException("Maximum sessions of 1 for this user exceeded"),
            new BadCredentialsException("Bad credentials"),
            new LockedException("User account is locked"))) {
      String encoded = codec.encode("SPRING_SECURITY_LAST_EXCEPTION", e);
      assertThat(encoded).doesNotContain("stackTrace").doesNotContain("cause");
      Object back = codec.decode("SPRING_SECURITY_LAST_EXCEPTION", encoded);
      assertThat(back).isExactlyInstanceOf(e.getClass());
      assertThat(((Exception) back).getMessage()).isEqualTo(((Exception) e).getMessage());
    }
  }

  @Test
  void jdkTypesCannotBeAllowed() {
    assertThatThrownBy(() -> SpringSecurityAttributeCodec.builder().allowType(Object.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Object");
    assertThatThrownBy(() -> SpringSecurityAttributeCodec.builder().allowType(URL.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.net.URL");
  }

  @Test
  void toBuilderBuildsAnEqualCodec() {
    SpringSecurityAttributeCodec c =
        SpringSecurityAttributeCodec.builder()
            .allowType(ShopUser.class)
            .delegate(JsonAttributeCodec.builder().allowType("shop", ShopUser.class).build())
            .build();
    assertThat(c.toBuilder().build()).isEqualTo(c).hasSameHashCodeAs(c);
    assertThat(c.allowedTypes()).containsExactly(ShopUser.class);
  }
}
