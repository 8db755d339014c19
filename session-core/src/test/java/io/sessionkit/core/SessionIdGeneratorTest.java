package io.sessionkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SessionIdGeneratorTest {
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  private final SessionIdGenerator generator = SessionIdGenerator.defaults();

  @Test
  void aMillionIdsHaveNoDuplicate() {
    int n = 1_000_000;
    // the first 64 random bits of each id; equal prefixes are the only way two ids can be equal
    long[] prefixes = new long[n];
    Base64.Decoder decoder = Base64.getUrlDecoder();
    long ones = 0;
    for (int i = 0; i < n; i++) {
      byte[] bytes = decoder.decode(generator.newAnonymousId().substring(Digests.TAG_CHARS));
      long prefix = 0;
      for (int b = 0; b < 8; b++) {
        prefix = (prefix << 8) | (bytes[b] & 0xff);
      }
      prefixes[i] = prefix;
      ones += Long.bitCount(prefix);
    }
    Arrays.sort(prefixes);
    for (int i = 1; i < n; i++) {
      assertThat(prefixes[i]).as("duplicate at %d", i).isNotEqualTo(prefixes[i - 1]);
    }
    // 64 million bits: a fair source lands within a fraction of a percent of one half
    assertThat((double) ones / (64.0 * n)).isBetween(0.49, 0.51);
  }

  @ParameterizedTest
  @ValueSource(ints = {128, 136, 256, 512})
  void idsCarryTheConfiguredRandomBits(int bits) {
    SessionIdGenerator g = SessionIdGenerator.builder().bits(bits).build();
    String id = g.newAnonymousId();
    assertThat(id).hasSize(g.idLength());
    byte[] random = Base64.getUrlDecoder().decode(id.substring(Digests.TAG_CHARS));
    assertThat(random.length * 8).isEqualTo(bits).isGreaterThanOrEqualTo(128);
    assertThat(g.isWellFormed(id)).isTrue();
  }

  @Test
  void theDefaultIdHas45Characters() {
    assertThat(generator.idLength()).isEqualTo(45);
    assertThat(generator.bits()).isEqualTo(SessionIdGenerator.DEFAULT_BITS);
    assertThat(generator.newAnonymousId()).hasSize(45);
  }

  @Test
  void acceptsEveryIdItMakes() {
    for (int i = 0; i < 10_000; i++) {
      assertThat(generator.isWellFormed(generator.newAnonymousId())).isTrue();
      assertThat(generator.isWellFormed(generator.newIdForUser("user" + i))).isTrue();
    }
  }

  static Stream<Arguments> malformed() {
    String good = SessionIdGenerator.defaults().newAnonymousId();
    int last = Digests.indexOf(good.charAt(44));
    return Stream.of(
        Arguments.of("null", null),
        Arguments.of("empty", ""),
        Arguments.of("10 KB", "A".repeat(10 * 1024)),
        Arguments.of("star", "*"),
        Arguments.of("braces", "{x}"),
        Arguments.of("colon", "a:b"),
        Arguments.of("CR/LF", good.substring(0, 20) + "\r\n" + good.substring(22)),
        Arguments.of("NUL", good.substring(0, 20) + '\0' + good.substring(21)),
        Arguments.of("non-ASCII", good.substring(0, 20) + 'é' + good.substring(21)),
        Arguments.of("fullwidth digit", good.substring(0, 20) + '\uff11' + good.substring(21)),
        Arguments.of("path", "../" + good.substring(3)),
        Arguments.of("plus", good.substring(0, 20) + '+' + good.substring(21)),
        Arguments.of("slash", good.substring(0, 20) + '/' + good.substring(21)),
        Arguments.of("padding", good.substring(0, 44) + '='),
        Arguments.of("space", good.substring(0, 44) + ' '),
        Arguments.of("short", good.substring(1)),
        Arguments.of("long", good + "A"),
        Arguments.of("non-canonical last char", good.substring(0, 44) + ALPHABET.charAt(last | 1)),
        Arguments.of(
            "non-canonical last char 2", good.substring(0, 44) + ALPHABET.charAt(last | 2)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void rejectsEveryMalformedForm(String label, @Nullable String id) {
    assertThat(generator.isWellFormed(id)).isFalse();
  }

  @Test
  void rejectsIdsOfAnotherLength() {
    SessionIdGenerator small = SessionIdGenerator.builder().bits(128).build();
    assertThat(small.isWellFormed(generator.newAnonymousId())).isFalse();
    assertThat(generator.isWellFormed(small.newAnonymousId())).isFalse();
  }

  @Test
  void userIdsCarryTheUsersTag() {
    String id = generator.newIdForUser("alice");
    assertThat(SessionIdGenerator.tagOf(id))
        .isEqualTo(Digests.tagForUser("alice"))
        .hasSize(Digests.TAG_CHARS);
    assertThat(id).startsWith(Digests.tagForUser("alice"));
  }

  @Test
  void newIdLikeKeepsTheTagAndChangesTheRest() {
    String id = generator.newAnonymousId();
    String renewed = generator.newIdLike(id);
    assertThat(SessionIdGenerator.tagOf(renewed)).isEqualTo(SessionIdGenerator.tagOf(id));
    assertThat(renewed.substring(2)).isNotEqualTo(id.substring(2));
  }

  @Test
  void anonymousTagsAreSpreadOverTheSlots() {
    Set<String> tags = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      tags.add(SessionIdGenerator.tagOf(generator.newAnonymousId()));
    }
    // 2000 draws over 4096 tags give about 1600 distinct ones; a fixed tag would give 1
    assertThat(tags.size()).isGreaterThan(1000);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 120, 127, 129, 520, 1024, -8})
  void badBitCountsAreRefusedNamingTheValue(int bits) {
    assertThatThrownBy(() -> SessionIdGenerator.builder().bits(bits))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was " + bits);
  }

  @Test
  void aNullRandomIsRefused() {
    assertThatThrownBy(() -> SessionIdGenerator.builder().random(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void toBuilderBuildsAnEqualGenerator() {
    SessionIdGenerator g =
        SessionIdGenerator.builder().bits(192).random(new SecureRandom()).build();
    assertThat(g.toBuilder().build()).isEqualTo(g).hasSameHashCodeAs(g);
    assertThat(generator.toBuilder().build()).isEqualTo(generator);
    assertThat(g.toBuilder().bits(256).build()).isNotEqualTo(g);
  }
}
