package io.sessionkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SuccessorCipherTest {
  private final String predecessor = SessionIdGenerator.defaults().newIdForUser("alice");
  private final String successor = SessionIdGenerator.defaults().newIdForUser("alice");

  @Test
  void opensWithThePredecessorAndContextItWasSealedWith() {
    String sealed = SuccessorCipher.seal(predecessor, successor, "ctx");
    assertThat(SuccessorCipher.open(predecessor, sealed, "ctx")).contains(successor);
  }

  @Test
  void theSealedValueHoldsNoTraceOfEitherToken() {
    String sealed = SuccessorCipher.seal(predecessor, successor, "ctx");
    assertThat(sealed)
        .doesNotContain(successor)
        .doesNotContain(predecessor)
        .doesNotContain(successor.substring(2, 20));
    assertThat(sealed).matches("[A-Za-z0-9_-]+");
  }

  @Test
  void eachSealUsesAFreshNonce() {
    String a = SuccessorCipher.seal(predecessor, successor, "ctx");
    String b = SuccessorCipher.seal(predecessor, successor, "ctx");
    assertThat(a).isNotEqualTo(b);
    assertThat(Base64.getUrlDecoder().decode(a))
        .hasSize(SuccessorCipher.NONCE_BYTES + successor.length() + 16);
  }

  @Test
  void anotherPredecessorCannotOpenIt() {
    String sealed = SuccessorCipher.seal(predecessor, successor, "ctx");
    String other = SessionIdGenerator.defaults().newIdForUser("alice");
    assertThat(SuccessorCipher.open(other, sealed, "ctx")).isEmpty();
  }

  @Test
  void anotherContextCannotOpenIt() {
    String sealed = SuccessorCipher.seal(predecessor, successor, "ctx");
    assertThat(SuccessorCipher.open(predecessor, sealed, "ctx2")).isEmpty();
  }

  @Test
  void everyFlippedByteIsRejected() {
    byte[] raw = Base64.getUrlDecoder().decode(SuccessorCipher.seal(predecessor, successor, "ctx"));
    for (int i = 0; i < raw.length; i++) {
      byte[] tampered = raw.clone();
      tampered[i] ^= 0x01;
      String s = Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);
      assertThat(SuccessorCipher.open(predecessor, s, "ctx")).as("byte %d flipped", i).isEmpty();
    }
  }

  @Test
  void garbageIsRejectedWithoutAnException() {
    assertThat(SuccessorCipher.open(predecessor, "", "ctx")).isEmpty();
    assertThat(SuccessorCipher.open(predecessor, "not base64 *", "ctx")).isEmpty();
    assertThat(SuccessorCipher.open(predecessor, "AAAA", "ctx")).isEmpty();
    assertThat(SuccessorCipher.open(predecessor, "A".repeat(100), "ctx")).isEmpty();
  }

  @Test
  void theKeyIsNotTheStorageDigest() {
    // the record key is Digests.digest("r", token); knowing it must not open the ciphertext
    String sealed = SuccessorCipher.seal(predecessor, successor, "ctx");
    assertThat(SuccessorCipher.open(TokenKeys.refreshDigest(predecessor), sealed, "ctx")).isEmpty();
  }
}
