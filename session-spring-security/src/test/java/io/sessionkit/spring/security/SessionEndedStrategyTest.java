package io.sessionkit.spring.security;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SessionEndedStrategyTest {
  @Test
  void settersRefuseBadValuesNamingThem() {
    assertThatThrownBy(() -> SessionEndedStrategy.builder().loginUrl("https://evil.example/login"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https://evil.example/login");
    assertThatThrownBy(() -> SessionEndedStrategy.builder().loginUrl("//evil.example"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("//evil.example");
    assertThatThrownBy(() -> SessionEndedStrategy.builder().loginUrl("/login\r\nX: y"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SessionEndedStrategy.builder().reasonParameter("a b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a b'");
    assertThatThrownBy(() -> SessionEndedStrategy.builder().apiPaths("api"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'api'");
  }
}
