package io.sessionkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuditLogTest {
  @Test
  void nullIsADash() {
    assertThat(AuditLog.escape(null)).isEqualTo("-");
  }

  @Test
  void plainValuesAreQuoted() {
    assertThat(AuditLog.escape("alice@example.com")).isEqualTo("\"alice@example.com\"");
    assertThat(AuditLog.escape("ünïcødé")).isEqualTo("\"ünïcødé\"");
  }

  @Test
  void crLfCannotForgeALine() {
    String forged = "alice\r\nevent=user_revoked user=\"admin\"";
    String escaped = AuditLog.escape(forged);
    assertThat(escaped)
        .doesNotContain("\r")
        .doesNotContain("\n")
        .isEqualTo("\"alice\\u000d\\u000aevent=user_revoked user=\\u0022admin\\u0022\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"", "\\", "\u0000", "\u001b", "\u007f", "\u0085", "\u2028", "\u2029"})
  void quotesBackslashesAndControlsAreEscaped(String c) {
    String escaped = AuditLog.escape("a" + c + "b");
    assertThat(escaped).isEqualTo(String.format("\"a\\u%04xb\"", (int) c.charAt(0)));
  }

  @Test
  void longValuesAreCut() {
    String escaped = AuditLog.escape("x".repeat(10_000));
    assertThat(escaped).isEqualTo("\"" + "x".repeat(256) + "...\"");
  }

  @Test
  void aValueOfExactly256CharactersIsKept() {
    assertThat(AuditLog.escape("y".repeat(256))).isEqualTo("\"" + "y".repeat(256) + "\"");
  }

  @Test
  void theAuditLogIsASharedListener() {
    assertThat(AuditLog.instance())
        .isSameAs(AuditLog.instance())
        .isInstanceOf(SessionListener.class)
        .isInstanceOf(RevocationListener.class);
  }
}
