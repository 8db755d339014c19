package io.sessionkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CookieSettingsTest {

  @Test
  void defaultsAreTheSecureOnes() {
    CookieSettings d = CookieSettings.defaults();
    assertThat(d.name()).isEqualTo("__Host-sid").isNotIn("JSESSIONID", "SESSION", "PHPSESSID");
    assertThat(d.path()).isEqualTo("/");
    assertThat(d.domain()).isEmpty();
    assertThat(d.maxAge()).isEmpty();
    assertThat(d.secure()).isTrue();
    assertThat(d.httpOnly()).isTrue();
    assertThat(d.sameSite()).isEqualTo(SameSite.LAX);
  }

  @Test
  void toBuilderBuildsAnEqualValue() {
    CookieSettings custom =
        CookieSettings.builder()
            .name("app")
            .path("/shop")
            .domain("example.com")
            .maxAge(Duration.ofDays(7))
            .sameSite(SameSite.STRICT)
            .httpOnly(false)
            .build();
    assertThat(custom.toBuilder().build()).isEqualTo(custom).hasSameHashCodeAs(custom);
    assertThat(CookieSettings.defaults().toBuilder().build()).isEqualTo(CookieSettings.defaults());
  }

  @Test
  void hostPrefixWithADomainFailsNamingTheProblem() {
    assertThatThrownBy(() -> CookieSettings.builder().domain("example.com").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("__Host-")
        .hasMessageContaining("Domain")
        .hasMessageContaining("example.com");
  }

  @Test
  void hostPrefixWithAPathOtherThanRootFails() {
    assertThatThrownBy(() -> CookieSettings.builder().path("/app").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Path=/")
        .hasMessageContaining("/app");
  }

  @Test
  void hostOrSecurePrefixWithoutSecureFails() {
    assertThatThrownBy(() -> CookieSettings.builder().secure(false).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Secure");
    assertThatThrownBy(() -> CookieSettings.builder().name("__Secure-x").secure(false).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("__Secure-");
  }

  @Test
  void sameSiteNoneWithoutSecureFails() {
    assertThatThrownBy(
            () ->
                CookieSettings.builder()
                    .name("plain")
                    .secure(false)
                    .sameSite(SameSite.NONE)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SameSite=None requires Secure");
    assertThat(CookieSettings.builder().sameSite(SameSite.NONE).build().sameSite())
        .isEqualTo(SameSite.NONE);
  }

  @Test
  void badValuesFailAtTheSetterNamingThem() {
    assertThatThrownBy(() -> CookieSettings.builder().name("a;b")).hasMessageContaining("';'");
    assertThatThrownBy(() -> CookieSettings.builder().name("")).hasMessageContaining("1 to 256");
    assertThatThrownBy(() -> CookieSettings.builder().path("app")).hasMessageContaining("'app'");
    assertThatThrownBy(() -> CookieSettings.builder().path("/a;b")).hasMessageContaining("';'");
    assertThatThrownBy(() -> CookieSettings.builder().domain("exa mple.com"))
        .hasMessageContaining("exa mple.com");
    assertThatThrownBy(() -> CookieSettings.builder().maxAge(Duration.ZERO))
        .hasMessageContaining("PT0S");
  }
}
