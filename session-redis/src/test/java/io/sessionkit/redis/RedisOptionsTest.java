package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedisOptionsTest {

  @Test
  void defaultsAreTheDocumentedConstants() {
    RedisOptions o = RedisOptions.fromUri("redis://localhost:6379");
    assertThat(o.topology()).isEqualTo(RedisOptions.Topology.STANDALONE);
    assertThat(o.uris()).containsExactly("redis://localhost:6379");
    assertThat(o.keyPrefix()).isEqualTo(RedisOptions.DEFAULT_KEY_PREFIX).isEqualTo("sk:");
    assertThat(o.commandTimeout()).isEqualTo(RedisOptions.DEFAULT_COMMAND_TIMEOUT);
    assertThat(o.tlsVerification()).isEqualTo(RedisOptions.TlsVerification.FULL);
    assertThat(o.username()).isNull();
    assertThat(o.password()).isNull();
    assertThat(o.database()).isNull();
  }

  @Test
  void toBuilderBuildsAnEqualOptions() {
    RedisOptions o =
        RedisOptions.builder()
            .uri("rediss://cache.internal:6380/3")
            .credentials("sessionkit", "s3cret")
            .database(5)
            .keyPrefix("shop:sk:")
            .commandTimeout(Duration.ofMillis(750))
            .connectTimeout(Duration.ofSeconds(7))
            .tlsVerification(RedisOptions.TlsVerification.CA)
            .tlsTrustedCertificates(Path.of("pom.xml"))
            .onEvictingPolicy(RedisOptions.OnEvictingPolicy.ALLOW_AND_WARN)
            .build();
    RedisOptions copy = o.toBuilder().build();
    assertThat(copy.onEvictingPolicy()).isEqualTo(RedisOptions.OnEvictingPolicy.ALLOW_AND_WARN);
    assertThat(copy.tlsTrustedCertificates()).isEqualTo(Path.of("pom.xml"));
    assertThat(copy).isEqualTo(o).hasSameHashCodeAs(o);
    assertThat(copy.username()).isEqualTo("sessionkit");
    assertThat(copy.password()).isEqualTo("s3cret");
    assertThat(copy.database()).isEqualTo(5);
    assertThat(copy.keyPrefix()).isEqualTo("shop:sk:");
    assertThat(copy.commandTimeout()).isEqualTo(Duration.ofMillis(750));
    assertThat(copy.connectTimeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(copy.tlsVerification()).isEqualTo(RedisOptions.TlsVerification.CA);
    RedisOptions cluster = RedisOptions.cluster(List.of("redis://a:7000", "redis://b:7000"));
    assertThat(cluster.toBuilder().build()).isEqualTo(cluster);
  }

  @Test
  void everyFieldTakesPartInEquality() {
    RedisOptions base = RedisOptions.fromUri("redis://localhost:6379");
    assertThat(base).isEqualTo(RedisOptions.fromUri("redis://localhost:6379"));
    assertThat(base.toBuilder().uri("redis://localhost:6380").build()).isNotEqualTo(base);
    assertThat(base.toBuilder().credentials(null, "x").build()).isNotEqualTo(base);
    assertThat(base.toBuilder().database(1).build()).isNotEqualTo(base);
    assertThat(base.toBuilder().keyPrefix("other:").build()).isNotEqualTo(base);
    assertThat(base.toBuilder().commandTimeout(Duration.ofSeconds(9)).build()).isNotEqualTo(base);
    assertThat(base.toBuilder().connectTimeout(Duration.ofSeconds(9)).build()).isNotEqualTo(base);
    assertThat(base.toBuilder().tlsVerification(RedisOptions.TlsVerification.NONE).build())
        .isNotEqualTo(base);
    assertThat(base.toBuilder().tlsTrustedCertificates(Path.of("pom.xml")).build())
        .isNotEqualTo(base);
    assertThat(base.onEvictingPolicy()).isEqualTo(RedisOptions.OnEvictingPolicy.REFUSE);
    assertThat(
            base.toBuilder().onEvictingPolicy(RedisOptions.OnEvictingPolicy.ALLOW_AND_WARN).build())
        .isNotEqualTo(base);
  }

  @Test
  void anUnreadableTrustFileIsRefusedNamingIt() {
    assertThatThrownBy(
            () -> RedisOptions.builder().tlsTrustedCertificates(Path.of("no-such-ca.pem")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'no-such-ca.pem'");
  }

  @Test
  void sentinelUriIsRecognized() {
    RedisOptions o =
        RedisOptions.fromUri("redis-sentinel://10.0.0.1:26379,10.0.0.2:26379/0#mymaster");
    assertThat(o.topology()).isEqualTo(RedisOptions.Topology.SENTINEL);
  }

  @Test
  void sentinelUriWithoutMasterNameIsRefused() {
    assertThatThrownBy(() -> RedisOptions.fromUri("redis-sentinel://10.0.0.1:26379"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'redis-sentinel://10.0.0.1:26379'")
        .hasMessageContaining("sentinelMasterId");
  }

  @Test
  void clusterSeedsAreRecognized() {
    RedisOptions o = RedisOptions.cluster(List.of("redis://a:7000", "rediss://b:7001"));
    assertThat(o.topology()).isEqualTo(RedisOptions.Topology.CLUSTER);
    assertThat(o.uris()).containsExactly("redis://a:7000", "rediss://b:7001");
  }

  @Test
  void clusterRefusesEmptySeedsSentinelSeedsAndOtherDatabases() {
    assertThatThrownBy(() -> RedisOptions.cluster(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> RedisOptions.cluster(List.of("redis-sentinel://a:26379#m")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Sentinel");
    assertThatThrownBy(
            () ->
                RedisOptions.builder().clusterSeeds(List.of("redis://a:7000")).database(2).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://localhost:6379",
        "localhost:6379",
        "redis-socket:///tmp/redis.sock",
        "",
        "redis://"
      })
  void malformedUrisAreRefusedNamingTheValue(String uri) {
    assertThatThrownBy(() -> RedisOptions.fromUri(uri))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + uri + "'");
  }

  @Test
  void uriErrorsAndToStringNeverShowThePassword() {
    assertThatThrownBy(() -> RedisOptions.fromUri("http://user:hunter2@host:6379"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'http://***@host:6379'")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> RedisOptions.fromUri("redis-sentinel://user:hunter2@host:26379"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("***@host")
        .hasMessageNotContaining("hunter2");
    RedisOptions o =
        RedisOptions.fromUri("redis://user:hunter2@host:6379").toBuilder()
            .credentials("app", "letmein")
            .build();
    assertThat(o.toString())
        .doesNotContain("hunter2")
        .doesNotContain("letmein")
        .contains("password=***");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "has space", "a{b", "b}c", "tab\t", "é"})
  void badKeyPrefixesAreRefusedNamingTheValue(String prefix) {
    assertThatThrownBy(() -> RedisOptions.builder().keyPrefix(prefix))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + prefix + "'");
  }

  @Test
  void tooLongKeyPrefixIsRefused() {
    String longPrefix = "p".repeat(RedisOptions.MAX_KEY_PREFIX_LENGTH + 1);
    assertThatThrownBy(() -> RedisOptions.builder().keyPrefix(longPrefix))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nonPositiveTimeoutsAndNegativeDatabasesAreRefusedNamingTheValue() {
    assertThatThrownBy(() -> RedisOptions.builder().commandTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT0S");
    assertThatThrownBy(() -> RedisOptions.builder().commandTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-1S");
    assertThatThrownBy(() -> RedisOptions.builder().database(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }

  @Test
  void buildWithoutUriIsRefused() {
    assertThatThrownBy(() -> RedisOptions.builder().build())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void emptyUsernameIsRefused() {
    assertThatThrownBy(() -> RedisOptions.builder().credentials("", "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void connectTimeoutFollowsTheCommandTimeoutUnlessSet() {
    RedisOptions o =
        RedisOptions.builder()
            .uri("redis://localhost:6379")
            .commandTimeout(Duration.ofMillis(300))
            .build();
    assertThat(o.connectTimeout()).isEqualTo(Duration.ofMillis(300));
    assertThat(o.toBuilder().connectTimeout(Duration.ofSeconds(10)).build().connectTimeout())
        .isEqualTo(Duration.ofSeconds(10));
    assertThatThrownBy(() -> RedisOptions.builder().connectTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("connectTimeout")
        .hasMessageContaining("PT0S");
  }
}
