package io.sessionkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoginPolicyTest {
  @Test
  void theDefaultCapsSessionsPerUserAndEvictsTheOldest() {
    LoginPolicy p = LoginPolicy.defaults();
    assertThat(p.isLimited()).isTrue();
    assertThat(p.maxSessionsPerUser())
        .hasValue(LoginPolicy.DEFAULT_MAX_SESSIONS_PER_USER)
        .hasValue(100);
    assertThat(p.maxSessionsPerDeviceType()).isEmpty();
    assertThat(p.onLimit()).isEqualTo(LoginPolicy.DEFAULT_ON_LIMIT).isEqualTo(OnLimit.EVICT_OLDEST);
    assertThat(LoginPolicy.builder().build()).isEqualTo(p);
  }

  @Test
  void unlimitedIsAnExplicitChoice() {
    LoginPolicy p = LoginPolicy.unlimited();
    assertThat(p.isLimited()).isFalse();
    assertThat(p.maxSessionsPerUser()).isEmpty();
    assertThat(p).isNotEqualTo(LoginPolicy.defaults());
  }

  @Test
  void limitsAboveTheMaximumAreRefusedNamingTheValue() {
    assertThatThrownBy(() -> LoginPolicy.builder().maxSessionsPerUser(LoginPolicy.MAX_LIMIT + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1001");
    assertThat(
            LoginPolicy.builder()
                .maxSessionsPerUser(LoginPolicy.MAX_LIMIT)
                .build()
                .maxSessionsPerUser())
        .hasValue(1000);
  }

  @Test
  void toBuilderBuildsAnEqualPolicy() {
    for (LoginPolicy p :
        new LoginPolicy[] {
          LoginPolicy.unlimited(),
          LoginPolicy.maxSessionsPerUser(3, OnLimit.REJECT_NEW),
          LoginPolicy.builder()
              .maxSessionsPerUser(5)
              .maxSessionsPerDeviceType(1)
              .onLimit(OnLimit.EVICT_OLDEST)
              .build()
        }) {
      assertThat(p.toBuilder().build()).isEqualTo(p).hasSameHashCodeAs(p);
    }
  }

  @Test
  void limitsAreReadBack() {
    LoginPolicy p =
        LoginPolicy.builder()
            .maxSessionsPerUser(5)
            .maxSessionsPerDeviceType(2)
            .onLimit(OnLimit.REJECT_NEW)
            .build();
    assertThat(p.isLimited()).isTrue();
    assertThat(p.maxSessionsPerUser()).hasValue(5);
    assertThat(p.maxSessionsPerDeviceType()).hasValue(2);
    assertThat(p.onLimit()).isEqualTo(OnLimit.REJECT_NEW);
    LoginPolicy unlimitedAgain =
        p.toBuilder().unlimitedSessionsPerUser().unlimitedSessionsPerDeviceType().build();
    assertThat(unlimitedAgain.isLimited()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void limitsBelowOneAreRefusedNamingTheValue(int max) {
    assertThatThrownBy(() -> LoginPolicy.builder().maxSessionsPerUser(max))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was " + max);
    assertThatThrownBy(() -> LoginPolicy.builder().maxSessionsPerDeviceType(max))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was " + max);
  }

  @Test
  void aNullActionIsRefused() {
    assertThatThrownBy(() -> LoginPolicy.builder().onLimit(null))
        .isInstanceOf(NullPointerException.class);
  }
}
