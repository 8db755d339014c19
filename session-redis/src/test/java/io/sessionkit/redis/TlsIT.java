package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionkit.core.Session;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.StoreUnavailableException;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code rediss://} against a redis-server with TLS, whose certificate (from a private CA made here
 * with openssl) names only {@code localhost}: full verification accepts {@code localhost} and
 * refuses {@code 127.0.0.1}, the default JVM trust store refuses the private CA, and {@code CA}
 * verification accepts the address.
 */
class TlsIT {
  private static Path certs;
  private static RedisServer redis;
  private static int tlsPort;

  @BeforeAll
  static void start() throws Exception {
    certs = Path.of("target", "tls-it").toAbsolutePath();
    Files.createDirectories(certs);
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=sessionkit-test-ca");
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost");
    Files.writeString(
        certs.resolve("ext.cnf"), "subjectAltName=DNS:localhost\n", StandardCharsets.US_ASCII);
    openssl(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "ext.cnf");
    tlsPort = RedisServers.freePort();
    redis =
        RedisServers.startLocal(
            "--tls-port",
            String.valueOf(tlsPort),
            "--tls-cert-file",
            certs.resolve("server.pem").toString(),
            "--tls-key-file",
            certs.resolve("server.key").toString(),
            "--tls-ca-cert-file",
            certs.resolve("ca.pem").toString(),
            "--tls-auth-clients",
            "no");
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.close();
    }
  }

  private static void openssl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(cmd).directory(certs.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "the TLS test needs openssl on the PATH (apt-get install -y openssl)", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
    }
  }

  private static RedisOptions options(
      String host, RedisOptions.TlsVerification verification, boolean trustCa) {
    return RedisOptions.fromUri("rediss://" + host + ":" + tlsPort).toBuilder()
        .tlsVerification(verification)
        .tlsTrustedCertificates(trustCa ? certs.resolve("ca.pem") : null)
        .commandTimeout(Duration.ofSeconds(2))
        .build();
  }

  private static void roundTrip(RedisOptions options) {
    try (RedisSessionStore store =
        RedisSessionStore.create(options, SessionConfig.builder().auditLogging(false).build())) {
      Session s = store.login(null, "alice").sessionOrThrow();
      assertThat(store.access(s.id()).isActive()).isTrue();
    }
  }

  @Test
  void fullVerificationAcceptsTheNameOnTheCertificate() {
    roundTrip(options("localhost", RedisOptions.TlsVerification.FULL, true));
  }

  @Test
  void fullVerificationIsTheDefaultAndRefusesAHostTheCertificateDoesNotName() {
    RedisOptions o = options("127.0.0.1", RedisOptions.DEFAULT_TLS_VERIFICATION, true);
    assertThat(o.tlsVerification()).isEqualTo(RedisOptions.TlsVerification.FULL);
    assertThatThrownBy(() -> RedisSessionStore.create(o, SessionConfig.defaults()))
        .isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void theJvmTrustStoreRefusesAPrivateCa() {
    assertThatThrownBy(
            () ->
                RedisSessionStore.create(
                    options("localhost", RedisOptions.TlsVerification.FULL, false),
                    SessionConfig.defaults()))
        .isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void caVerificationAcceptsAnAddressTheCertificateDoesNotName() {
    roundTrip(options("127.0.0.1", RedisOptions.TlsVerification.CA, true));
  }
}
