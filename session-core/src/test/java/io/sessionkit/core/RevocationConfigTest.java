package io.sessionkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RevocationConfigTest {
  @Test
  void defaultsAreTheDocumentedConstants() {
    RevocationConfig c = RevocationConfig.defaults();
    assertThat(c.maxRevocationTtl()).isEqualTo(RevocationConfig.DEFAULT_MAX_REVOCATION_TTL);
    assertThat(c.clockSkew()).isEqualTo(RevocationConfig.DEFAULT_CLOCK_SKEW);
    assertThat(c.watermarkTtl()).isEqualTo(RevocationConfig.DEFAULT_WATERMARK_TTL);
    assertThat(c.refreshTokenTtl()).isEqualTo(RevocationConfig.DEFAULT_REFRESH_TOKEN_TTL);
    assertThat(c.refreshFamilyMaxLifetime())
        .isEqualTo(RevocationConfig.DEFAULT_REFRESH_FAMILY_MAX_LIFETIME);
    assertThat(c.refreshGraceWindow()).isEqualTo(RevocationConfig.DEFAULT_REFRESH_GRACE_WINDOW);
    assertThat(c.idGenerator()).isEqualTo(SessionIdGenerator.defaults());
    assertThat(c.auditLogging()).isTrue();
    assertThat(c.listeners()).isEmpty();
  }

  @Test
  void toBuilderBuildsAnEqualConfig() {
    RevocationListener listener = new RevocationListener() {};
    RevocationConfig c =
        RevocationConfig.builder()
            .clock(Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC))
            .maxRevocationTtl(Duration.ofDays(2))
            .clockSkew(Duration.ZERO)
            .watermarkTtl(Duration.ofDays(5))
            .refreshTokenTtl(Duration.ofHours(5))
            .refreshFamilyMaxLifetime(Duration.ofDays(4))
            .refreshGraceWindow(Duration.ofSeconds(60))
            .idGenerator(SessionIdGenerator.builder().bits(128).build())
            .addListener(listener)
            .auditLogging(false)
            .build();
    assertThat(c.toBuilder().build()).isEqualTo(c).hasSameHashCodeAs(c);
    assertThat(RevocationConfig.defaults().toBuilder().build())
        .isEqualTo(RevocationConfig.defaults());
    assertThat(c.toBuilder().clockSkew(Duration.ofSeconds(1)).build()).isNotEqualTo(c);
  }

  @Test
  void badDurationsAreRefusedNamingTheValue() {
    RevocationConfig.Builder b = RevocationConfig.builder();
    assertThatThrownBy(() -> b.maxRevocationTtl(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxRevocationTtl")
        .hasMessageContaining("PT0S");
    assertThatThrownBy(() -> b.clockSkew(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("clockSkew")
        .hasMessageContaining("PT-1S");
    assertThatThrownBy(() -> b.watermarkTtl(Duration.ofDays(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("watermarkTtl")
        .hasMessageContaining("PT-24H");
    assertThatThrownBy(() -> b.refreshTokenTtl(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refreshTokenTtl");
    assertThatThrownBy(() -> b.refreshFamilyMaxLifetime(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refreshFamilyMaxLifetime");
    assertThatThrownBy(() -> b.refreshGraceWindow(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-0.001S");
    assertThatThrownBy(() -> b.refreshGraceWindow(Duration.ofSeconds(61)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT1M1S");
    assertThatThrownBy(() -> b.clock(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.idGenerator(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.addListener(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void aTokenLifetimeBeyondTheFamilyLifetimeIsRefusedNamingBoth() {
    assertThatThrownBy(
            () ->
                RevocationConfig.builder()
                    .refreshTokenTtl(Duration.ofDays(10))
                    .refreshFamilyMaxLifetime(Duration.ofDays(5))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT240H")
        .hasMessageContaining("PT120H");
  }

  @Test
  void aWatermarkShorterThanTheLongestTokenOrFamilyIsRefusedNamingBoth() {
    assertThatThrownBy(
            () ->
                RevocationConfig.builder()
                    .maxRevocationTtl(Duration.ofDays(40))
                    .watermarkTtl(Duration.ofDays(30))
                    .refreshFamilyMaxLifetime(Duration.ofDays(20))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("watermarkTtl PT720H")
        .hasMessageContaining("maxRevocationTtl PT960H");
    assertThatThrownBy(
            () ->
                RevocationConfig.builder()
                    .watermarkTtl(Duration.ofDays(30))
                    .refreshFamilyMaxLifetime(Duration.ofDays(60))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("watermarkTtl PT720H")
        .hasMessageContaining("refreshFamilyMaxLifetime PT1440H");
    assertThat(RevocationConfig.defaults().watermarkTtl())
        .isGreaterThanOrEqualTo(RevocationConfig.defaults().refreshFamilyMaxLifetime())
        .isGreaterThanOrEqualTo(RevocationConfig.defaults().maxRevocationTtl());
  }

  @Test
  void zeroGraceWindowAndZeroSkewAreAllowed() {
    RevocationConfig c =
        RevocationConfig.builder()
            .refreshGraceWindow(Duration.ZERO)
            .clockSkew(Duration.ZERO)
            .build();
    assertThat(c.refreshGraceWindow()).isZero();
    assertThat(c.clockSkew()).isZero();
  }
}
