package io.sessionkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgrammaticExampleRedisIT {
  @Test
  void theWalkThroughBehavesTheSameOnRedisAndCanRunTwice() {
    try (RedisServer redis = RedisServers.standalone()) {
      redis.flushAll();
      for (int run = 0; run < 2; run++) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int status =
            ProgrammaticExample.run(
                new String[] {"--redis", redis.uri()},
                Map.of(),
                new PrintStream(captured, true, StandardCharsets.UTF_8));
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(status).as(out).isZero();
        assertThat(out)
            .startsWith("SessionKit programmatic example, on redis://")
            .containsSubsequence(ProgrammaticExampleTest.STEPS);
      }
      Object keys = redis.call("KEYS", "sk-example:*");
      assertThat(keys).as("the example keeps its keys under its prefix").isInstanceOf(List.class);
      assertThat((List<?>) keys).isNotEmpty();
    }
  }
}
