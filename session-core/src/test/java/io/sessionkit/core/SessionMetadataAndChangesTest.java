package io.sessionkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionMetadataAndChangesTest {
  @ParameterizedTest
  @ValueSource(strings = {"a\r\nb", "tab\there", "nul\u0000"})
  void metadataWithControlCharactersIsRefused(String value) {
    assertThatThrownBy(() -> SessionMetadata.of(value, null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deviceType");
  }

  @Test
  void overlongMetadataIsRefusedNamingTheLength() {
    assertThatThrownBy(() -> SessionMetadata.of(null, null, "u".repeat(257), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("userAgent")
        .hasMessageContaining("257");
  }

  @Test
  void sanitizeMakesAnyHeaderAcceptable() {
    String raw = "Mozilla\r\n" + "x".repeat(400);
    String clean = SessionMetadata.sanitize(raw);
    assertThat(clean).hasSize(SessionMetadata.MAX_LENGTH).startsWith("Mozilla??");
    assertThat(SessionMetadata.of(null, null, clean, null).userAgent()).contains(clean);
    assertThat(SessionMetadata.sanitize(null)).isNull();
  }

  @Test
  void changesKeepTheLastCallPerName() {
    SessionChanges c =
        SessionChanges.builder()
            .set("a", 1)
            .remove("a")
            .set("b", 2)
            .remove("c")
            .set("c", 3)
            .build();
    assertThat(c.sets()).containsOnlyKeys("b", "c");
    assertThat(c.removals()).containsExactly("a");
    assertThat(SessionChanges.none().isEmpty()).isTrue();
  }

  @Test
  void badAttributeNamesAreRefused() {
    assertThatThrownBy(() -> SessionChanges.builder().set("", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 0");
    assertThatThrownBy(() -> SessionChanges.builder().set("n".repeat(513), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("513");
    assertThatThrownBy(() -> SessionChanges.builder().remove("a\nb"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("index 1");
    assertThatThrownBy(() -> SessionChanges.builder().set("a", null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void anAttributeNameWithAnUnpairedSurrogateIsRefusedAndAPairIsFine() {
    assertThatThrownBy(() -> SessionChanges.builder().set("a\uD800", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("surrogate");
    assertThatThrownBy(() -> SessionChanges.builder().remove("\uDC00b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("surrogate");
    SessionChanges.builder().set("smile \uD83D\uDE00", 1).build();
  }

  @Test
  void givenEncodingsFollowTheLastCallPerNameAndAreImmutable() {
    SessionChanges.Builder b =
        SessionChanges.builder()
            .setEncoded("a", "x", "\"x\"")
            .setEncoded("b", 2, "2")
            .setEncoded("c", 3, "3")
            .setEncoded("d", 4, "4");
    b.set("b", 5);
    b.remove("c");
    SessionChanges changes = b.build();
    assertThat(changes.sets()).containsOnlyKeys("a", "b", "d");
    assertThat(changes.encodings()).containsExactly(Map.entry("a", "\"x\""), Map.entry("d", "4"));
    assertThat(changes.removals()).containsExactly("c");
    b.setEncoded("e", 6, "6");
    assertThat(changes.encodings()).doesNotContainKey("e");
    assertThatThrownBy(() -> changes.encodings().put("z", "1"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(SessionChanges.builder().set("a", 1).build().encodings()).isEmpty();
  }

  @Test
  void setEncodedRefusesNullsAndBadNames() {
    assertThatThrownBy(() -> SessionChanges.builder().setEncoded("a", 1, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("encoded");
    assertThatThrownBy(() -> SessionChanges.builder().setEncoded("a", null, "1"))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> SessionChanges.builder().setEncoded("", 1, "1"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
