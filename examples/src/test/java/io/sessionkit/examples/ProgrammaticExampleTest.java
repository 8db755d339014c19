package io.sessionkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgrammaticExampleTest {
  /** The lines every run prints, in order, whatever the store. */
  static final String[] STEPS = {
    " 1. create    anonymous session ",
    ", user (none), cart [book]",
    " 2. access    active true, cart [book], expires ",
    " 3. login     alice signed in as ",
    ": new id true, old id dead true, cart kept [book]",
    " 4. kick-out  limit 1: alice signs in on a phone -> 1 session evicted; the laptop's session now: ended REPLACED",
    " 5. token     access token ",
    ": ACTIVE, after revoke: REVOKED(REVOKED)",
    " 6. refresh   rotate -> new token; the spent token again -> refused REUSED; its successor now -> refused REVOKED",
    " 7. password  alice changes her password -> revokeAllForUser: phone session ended ALL_REVOKED,"
        + " token issued a minute before REVOKED(ALL_REVOKED), token issued after ACTIVE",
    "All 7 steps behaved as expected."
  };

  @Test
  void mainWalksThroughEveryStepOnTheInMemoryStore() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      ProgrammaticExample.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    assertThat(out).containsSubsequence(STEPS).doesNotContain("NOT AS EXPECTED", "FAILED");
  }

  @Test
  void runWithoutRedisSaysInMemory() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int status =
        ProgrammaticExample.run(
            new String[0], Map.of(), new PrintStream(captured, true, StandardCharsets.UTF_8));
    assertThat(status).isZero();
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .startsWith("SessionKit programmatic example, on the in-memory store")
        .containsSubsequence(STEPS);
  }

  @Test
  void anUnknownArgumentPrintsUsage() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int status =
        ProgrammaticExample.run(
            new String[] {"--nope"},
            Map.of(),
            new PrintStream(captured, true, StandardCharsets.UTF_8));
    assertThat(status).isEqualTo(2);
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains("usage: ./demo example [--redis URI]");
  }
}
