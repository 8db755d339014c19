package io.sessionkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionkit.core.SessionTooLargeException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionSizeTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "ascii",
        "héllo",
        "€uro",
        "日本語",
        "emoji \uD83D\uDE00 pair",
        "lone \uD800 high",
        "lone \uDC00 low",
        "end \uD83D"
      })
  void utf8LengthIsWhatTheJdkEncoderWrites(String s) {
    assertThat(SessionSize.utf8Length(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void sizeIsNamesPlusValues() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("ab", "\"x\"");
    m.put("é", "1");
    assertThat(SessionSize.of(m)).isEqualTo(2 + 3 + 2 + 1);
  }

  @Test
  void checkThrowsOnlyAboveTheLimit() {
    assertThatCode(() -> SessionSize.check(1024, 1024)).doesNotThrowAnyException();
    assertThatThrownBy(() -> SessionSize.check(1025, 1024))
        .isInstanceOf(SessionTooLargeException.class)
        .hasMessageContaining("1025")
        .hasMessageContaining("1024");
  }
}
