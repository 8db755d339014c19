package io.sessionkit.spring.boot.internal;

import io.sessionkit.redis.RedisOptions;
import io.sessionkit.spring.boot.SessionKitProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.StringUtils;

/**
 * Translates Boot's {@code spring.data.redis.*} into {@link RedisOptions}: url, or host, port and
 * database; username and password; ssl (enabled and bundle); timeout (the command timeout) and
 * connect-timeout; sentinel (master, nodes, username, password); cluster nodes. The SessionKit-only
 * Redis settings come from {@code sessionkit.redis.*}.
 */
public final class BootRedisOptions {
  private BootRedisOptions() {}

  /**
   * @param redis Boot's properties, bound from {@code spring.data.redis}
   * @param sk SessionKit's properties
   * @param sslBundles the application's SSL bundles, if any
   * @return the options (not yet customized)
   * @throws
   *     org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException
   *     naming the property whose value SessionKit cannot use
   */
  public static RedisOptions from(
      DataRedisProperties redis, SessionKitProperties sk, @Nullable SslBundles sslBundles) {
    RedisOptions.Builder b = RedisOptions.builder();
    boolean ssl = redis.getSsl().isEnabled();
    String scheme = ssl ? "rediss://" : "redis://";
    if (redis.getMasterreplica() != null && redis.getMasterreplica().getNodes() != null) {
      throw Settings.invalid(
          "spring.data.redis.masterreplica.nodes",
          redis.getMasterreplica().getNodes(),
          "SessionKit connects to one master (standalone, Sentinel or Cluster); a static master/replica list is"
              + " not supported. Point spring.data.redis.host (or url) at the master");
    }
    if (redis.getCluster() != null && redis.getCluster().getNodes() != null) {
      List<String> seeds = new ArrayList<>();
      for (String node : redis.getCluster().getNodes()) {
        seeds.add(scheme + node.strip());
      }
      Settings.apply(
          "spring.data.redis.cluster.nodes",
          redis.getCluster().getNodes(),
          () -> b.clusterSeeds(seeds));
    } else if (redis.getSentinel() != null && redis.getSentinel().getMaster() != null) {
      DataRedisProperties.Sentinel s = redis.getSentinel();
      List<String> nodes = s.getNodes() == null ? List.of() : s.getNodes();
      if (nodes.isEmpty()) {
        throw Settings.invalid(
            "spring.data.redis.sentinel.nodes", nodes, "a Sentinel setup needs at least one node");
      }
      StringBuilder uri = new StringBuilder(ssl ? "rediss-sentinel://" : "redis-sentinel://");
      if (s.getPassword() != null) {
        uri.append(s.getUsername() != null ? enc(s.getUsername()) : "")
            .append(':')
            .append(enc(s.getPassword()))
            .append('@');
      }
      uri.append(String.join(",", nodes.stream().map(String::strip).toList()))
          .append('/')
          .append(redis.getDatabase())
          .append('#')
          .append(s.getMaster());
      Settings.apply("spring.data.redis.sentinel.nodes", nodes, () -> b.uri(uri.toString()));
    } else if (StringUtils.hasText(redis.getUrl())) {
      String url = redis.getUrl().strip();
      if (ssl && url.toLowerCase(Locale.ROOT).startsWith("redis://")) {
        url = "rediss://" + url.substring("redis://".length());
      }
      String u = url;
      Settings.apply("spring.data.redis.url", mask(url), () -> b.uri(u));
    } else {
      String host = redis.getHost().contains(":") ? "[" + redis.getHost() + "]" : redis.getHost();
      String uri = scheme + host + ":" + redis.getPort() + "/" + redis.getDatabase();
      Settings.apply(
          "spring.data.redis.host", redis.getHost() + ":" + redis.getPort(), () -> b.uri(uri));
    }
    String password = redis.getPassword();
    if (password != null && !StringUtils.hasText(redis.getUrl())) {
      String user = StringUtils.hasText(redis.getUsername()) ? redis.getUsername() : null;
      Settings.apply("spring.data.redis.username", user, () -> b.credentials(user, password));
    }
    Duration command =
        redis.getTimeout() != null ? redis.getTimeout() : sk.getRedis().getCommandTimeout();
    Settings.apply(
        redis.getTimeout() != null
            ? "spring.data.redis.timeout"
            : "sessionkit.redis.command-timeout",
        command,
        () -> b.commandTimeout(command));
    Duration connect =
        redis.getConnectTimeout() != null
            ? redis.getConnectTimeout()
            : sk.getRedis().getConnectTimeout();
    Settings.apply(
        redis.getConnectTimeout() != null
            ? "spring.data.redis.connect-timeout"
            : "sessionkit.redis.connect-timeout",
        connect,
        () -> b.connectTimeout(connect));
    SessionKitProperties.Redis r = sk.getRedis();
    Settings.apply(
        "sessionkit.redis.key-prefix", r.getKeyPrefix(), () -> b.keyPrefix(r.getKeyPrefix()));
    b.durability(r.getDurability());
    Settings.apply(
        "sessionkit.redis.min-replicas",
        r.getMinReplicas(),
        () -> b.minReplicas(r.getMinReplicas()));
    b.tlsVerification(r.getTlsVerification());
    Path trusted = r.getTlsTrustedCertificates();
    String bundle = redis.getSsl().getBundle();
    if (ssl && StringUtils.hasText(bundle)) {
      if (sslBundles == null) {
        throw Settings.invalid(
            "spring.data.redis.ssl.bundle", bundle, "no SSL bundles are configured");
      }
      SslBundle sb =
          Settings.apply(
              "spring.data.redis.ssl.bundle", bundle, () -> sslBundles.getBundle(bundle));
      trusted = trustStoreAsPem(bundle, sb);
    }
    if (trusted != null) {
      Path t = trusted;
      Settings.apply(
          "sessionkit.redis.tls-trusted-certificates", t, () -> b.tlsTrustedCertificates(t));
    }
    return b.build();
  }

  /**
   * The certificates of an SSL bundle's trust store, as a PEM file that Lettuce reads: the
   * connector trusts a PEM file. Only certificates are written, never a key.
   */
  private static @Nullable Path trustStoreAsPem(String name, SslBundle bundle) {
    KeyStore trust = bundle.getStores().getTrustStore();
    if (trust == null) {
      return null;
    }
    try {
      StringBuilder pem = new StringBuilder();
      for (String alias : Collections.list(trust.aliases())) {
        Certificate c = trust.getCertificate(alias);
        if (c != null) {
          pem.append("-----BEGIN CERTIFICATE-----\n")
              .append(
                  Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                      .encodeToString(c.getEncoded()))
              .append("\n-----END CERTIFICATE-----\n");
        }
      }
      Path file =
          Files.createTempFile(
              "sessionkit-" + name.replaceAll("[^A-Za-z0-9_-]", "_") + "-", ".pem");
      file.toFile().deleteOnExit();
      Files.writeString(file, pem, StandardCharsets.US_ASCII);
      return file;
    } catch (GeneralSecurityException e) {
      throw Settings.invalid(
          "spring.data.redis.ssl.bundle",
          name,
          "its trust store cannot be read: " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * @param uri a Redis URI
   * @return the URI with anything between {@code ://} and {@code @} masked, for messages
   */
  public static String mask(String uri) {
    return uri.replaceAll("(://)[^@/]*@", "$1***@");
  }

  /**
   * @param options the options
   * @return where they connect, passwords masked, for messages
   */
  public static String describe(RedisOptions options) {
    List<String> masked = options.uris().stream().map(BootRedisOptions::mask).toList();
    return masked.size() == 1 ? masked.get(0) : masked.toString();
  }
}
