package io.sessionkit.redis;

import io.lettuce.core.RedisURI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How to reach Redis: one {@code redis://}, {@code rediss://} or {@code redis-sentinel://} URI, or
 * a Redis Cluster seed list; ACL credentials; database; key prefix; command timeout; TLS
 * verification.
 *
 * <p>Immutable and thread-safe. Every setter validates at once, and URI errors name the bad value
 * (with any password masked).
 *
 * <pre>{@code
 * RedisOptions standalone = RedisOptions.fromUri("rediss://redis.internal:6380/2");
 * RedisOptions cluster = RedisOptions.cluster(List.of("redis://10.0.0.1:7000", "redis://10.0.0.2:7000"));
 * RedisOptions tuned = standalone.toBuilder()
 *     .credentials("sessionkit", "s3cret")
 *     .keyPrefix("shop:sk:")
 *     .commandTimeout(Duration.ofMillis(500))
 *     .build();
 * }</pre>
 */
public final class RedisOptions {
  /** The default key prefix: {@value}. */
  public static final String DEFAULT_KEY_PREFIX = "sk:";

  /**
   * The default command timeout, after which a call fails with a StoreUnavailableException: 2 s.
   */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);

  /** The default TLS verification for {@code rediss://}: {@link TlsVerification#FULL}. */
  public static final TlsVerification DEFAULT_TLS_VERIFICATION = TlsVerification.FULL;

  /** Whether logouts and revocations wait for replicas: {@link Durability#REPLICATED}. */
  public static final Durability DEFAULT_DURABILITY = Durability.REPLICATED;

  /**
   * The default number of replicas that must acknowledge even when fewer are connected: {@value}.
   */
  public static final int DEFAULT_MIN_REPLICAS = 0;

  /** What happens at connect when Redis may evict keys: {@link OnEvictingPolicy#REFUSE}. */
  public static final OnEvictingPolicy DEFAULT_ON_EVICTING_POLICY = OnEvictingPolicy.REFUSE;

  /** The longest key prefix accepted, in characters: {@value}. */
  public static final int MAX_KEY_PREFIX_LENGTH = 64;

  /** How the server is reached. */
  public enum Topology {
    /** One server (or a proxy) at a {@code redis://} or {@code rediss://} URI. */
    STANDALONE,
    /** The master a Sentinel names, from a {@code redis-sentinel://} URI. */
    SENTINEL,
    /** A Redis Cluster, discovered from a seed list. */
    CLUSTER
  }

  /**
   * When a logout ({@code delete}, {@code deleteByHandle}, {@code deleteAllForUser}) or a
   * revocation ({@code revoke}, {@code revokeAllForUser}, {@code revokeAllIssuedBefore}, {@code
   * revokeFamily}) returns.
   */
  public enum Durability {
    /**
     * Once every replica the master reports connected, and at least {@link
     * RedisOptions#minReplicas()}, acknowledged it ({@code WAIT}), so that a failover cannot lose
     * it; with no replica and no minimum, at once. If the replicas do not acknowledge within half
     * the command timeout the call fails with {@code StoreUnavailableException} (the change is
     * applied on the master; retrying is safe). The default. On Redis Cluster the store cannot send
     * {@code WAIT} on the connection that made the write, so it behaves as {@link #MASTER}: use the
     * servers' {@code min-replicas-to-write} there.
     */
    REPLICATED,
    /**
     * Once the master applied it; a failover right after can lose it (asynchronous replication).
     */
    MASTER
  }

  /**
   * What {@link RedisConnector#connect} does when Redis reports a {@code maxmemory-policy} that may
   * evict keys ({@code volatile-*} or {@code allkeys-*}). Every SessionKit key has a TTL, so such a
   * policy lets Redis drop revocation marks, watermarks and tombstones under memory pressure, and a
   * dropped revocation is a token that works again. Under {@code noeviction} a full Redis refuses
   * writes instead (calls fail with {@code StoreUnavailableException}), and nothing revoked is
   * lost.
   */
  public enum OnEvictingPolicy {
    /** Refuse to connect, with an error naming the policy and this option. The default. */
    REFUSE,
    /**
     * Connect anyway, log a warning once, and report the deployment unhealthy in {@link
     * RedisConnector#deploymentStatus()}: for a deployment that accepts that revocations may be
     * lost under memory pressure.
     */
    ALLOW_AND_WARN
  }

  /**
   * Whether the session scripts keep the cluster-wide counts that {@link
   * RedisSessionStore#countSessions()} reads. Every server sharing a key prefix must use the same
   * setting: a server that does not count leaves sessions out of the figures.
   */
  public enum Counting {
    /** Nothing is counted; {@code countSessions()} is refused. The default: no memory, no work. */
    OFF,
    /**
     * Each script that creates, extends or ends a session keeps two sorted sets in its slot (every
     * session by expiry, every signed-in user by the expiry of the user's last session), inside the
     * same script, so the figures are exact and cost no extra command; reading them costs one
     * script (standalone) or pipelined {@code ZCOUNT}s (Cluster). 48 bytes more per signed-in
     * session in Redis, measured over 10,000 sessions (slot overhead included).
     */
    EXACT
  }

  /** How a {@code rediss://} connection checks the server's certificate. */
  public enum TlsVerification {
    /** Check the certificate chain and that the certificate names the host: the default. */
    FULL,
    /**
     * Check the certificate chain only (for servers reached by an address their certificate omits).
     */
    CA,
    /** Check nothing: encrypts but does not authenticate the server. For tests only. */
    NONE
  }

  private final Topology topology;
  private final List<String> uris;
  private final @Nullable String username;
  private final @Nullable String password;
  private final @Nullable Integer database;
  private final String keyPrefix;
  private final Durability durability;
  private final int minReplicas;
  private final Duration commandTimeout;
  private final @Nullable Duration connectTimeout;
  private final TlsVerification tlsVerification;
  private final @Nullable Path tlsTrustedCertificates;
  private final OnEvictingPolicy onEvictingPolicy;
  private final Counting counting;

  private RedisOptions(Builder b) {
    if (b.uris.isEmpty()) {
      throw new IllegalStateException("no Redis URI: call uri(...) or clusterSeeds(...)");
    }
    this.topology = b.topology;
    this.uris = List.copyOf(b.uris);
    this.username = b.username;
    this.password = b.password;
    this.database = b.database;
    this.keyPrefix = b.keyPrefix;
    this.durability = b.durability;
    this.minReplicas = b.minReplicas;
    this.commandTimeout = b.commandTimeout;
    this.connectTimeout = b.connectTimeout;
    this.tlsVerification = b.tlsVerification;
    this.tlsTrustedCertificates = b.tlsTrustedCertificates;
    this.onEvictingPolicy = b.onEvictingPolicy;
    this.counting = b.counting;
    if (topology == Topology.CLUSTER && database != null && database != 0) {
      throw new IllegalArgumentException("a Redis Cluster has only database 0, was " + database);
    }
  }

  /**
   * Options for one URI with every other setting at its default.
   *
   * @param uri {@code redis://[[user]:password@]host[:port][/database]}, {@code rediss://...} or
   *     {@code
   *     redis-sentinel://[[user]:password@]host[:port][,host2[:port2]][/database]#masterName}
   * @return the options
   * @throws IllegalArgumentException if the URI is malformed; the message names it, password masked
   */
  public static RedisOptions fromUri(String uri) {
    return builder().uri(uri).build();
  }

  /**
   * Options for a Redis Cluster with every other setting at its default.
   *
   * @param seedUris {@code redis://} or {@code rediss://} URIs of some of the nodes
   * @return the options
   * @throws IllegalArgumentException if a URI is malformed or the list is empty
   */
  public static RedisOptions cluster(List<String> seedUris) {
    return builder().clusterSeeds(seedUris).build();
  }

  /**
   * @return a new builder with the defaults and no URI
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return a new builder holding these options
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.topology = topology;
    b.uris.addAll(uris);
    b.username = username;
    b.password = password;
    b.database = database;
    b.keyPrefix = keyPrefix;
    b.durability = durability;
    b.minReplicas = minReplicas;
    b.commandTimeout = commandTimeout;
    b.connectTimeout = connectTimeout;
    b.tlsVerification = tlsVerification;
    b.tlsTrustedCertificates = tlsTrustedCertificates;
    b.onEvictingPolicy = onEvictingPolicy;
    b.counting = counting;
    return b;
  }

  /**
   * @return how the server is reached
   */
  public Topology topology() {
    return topology;
  }

  /**
   * @return the URI, or the cluster seed URIs, as given (credentials included)
   */
  public List<String> uris() {
    return uris;
  }

  /**
   * @return the ACL user name that overrides the URI's, if set
   */
  public @Nullable String username() {
    return username;
  }

  /**
   * @return the password that overrides the URI's, if set
   */
  public @Nullable String password() {
    return password;
  }

  /**
   * @return the database that overrides the URI's, if set
   */
  public @Nullable Integer database() {
    return database;
  }

  /**
   * @return the prefix of every key SessionKit writes
   */
  public String keyPrefix() {
    return keyPrefix;
  }

  /**
   * @return when logouts and revocations return: after the replicas have them, or at once
   */
  public Durability durability() {
    return durability;
  }

  /**
   * @return how many replicas must acknowledge a logout or revocation even if fewer are connected
   */
  public int minReplicas() {
    return minReplicas;
  }

  /**
   * @return how long a call waits for Redis before it fails with a StoreUnavailableException
   */
  public Duration commandTimeout() {
    return commandTimeout;
  }

  /**
   * @return how long opening a connection (TCP and TLS) may take: the value set with {@link
   *     Builder#connectTimeout(Duration)}, or else the {@link #commandTimeout()}
   */
  public Duration connectTimeout() {
    return connectTimeout != null ? connectTimeout : commandTimeout;
  }

  /**
   * @return how a {@code rediss://} connection checks the server's certificate
   */
  public TlsVerification tlsVerification() {
    return tlsVerification;
  }

  /**
   * @return the PEM file of the certificates a {@code rediss://} server must chain to, if not the
   *     JVM's
   */
  public @Nullable Path tlsTrustedCertificates() {
    return tlsTrustedCertificates;
  }

  /**
   * @return what connecting does when Redis may evict keys
   */
  public OnEvictingPolicy onEvictingPolicy() {
    return onEvictingPolicy;
  }

  /**
   * @return whether the session scripts keep cluster-wide counts
   */
  public Counting counting() {
    return counting;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RedisOptions r
        && topology == r.topology
        && uris.equals(r.uris)
        && Objects.equals(username, r.username)
        && Objects.equals(password, r.password)
        && Objects.equals(database, r.database)
        && keyPrefix.equals(r.keyPrefix)
        && durability == r.durability
        && minReplicas == r.minReplicas
        && commandTimeout.equals(r.commandTimeout)
        && Objects.equals(connectTimeout, r.connectTimeout)
        && tlsVerification == r.tlsVerification
        && Objects.equals(tlsTrustedCertificates, r.tlsTrustedCertificates)
        && onEvictingPolicy == r.onEvictingPolicy
        && counting == r.counting;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
                topology,
                uris,
                username,
                password,
                database,
                keyPrefix,
                commandTimeout,
                tlsVerification,
                tlsTrustedCertificates)
            * 31
        + Objects.hash(durability, minReplicas, onEvictingPolicy, connectTimeout, counting);
  }

  /** Never shows a password. */
  @Override
  public String toString() {
    return "RedisOptions{"
        + topology
        + ' '
        + uris.stream().map(RedisOptions::mask).toList()
        + (username != null ? ", username=" + username : "")
        + (password != null ? ", password=***" : "")
        + (database != null ? ", database=" + database : "")
        + ", keyPrefix="
        + keyPrefix
        + ", commandTimeout="
        + commandTimeout
        + (connectTimeout != null ? ", connectTimeout=" + connectTimeout : "")
        + ", tls="
        + tlsVerification
        + ", durability="
        + durability
        + (minReplicas > 0 ? ", minReplicas=" + minReplicas : "")
        + (tlsTrustedCertificates != null ? ", trusting " + tlsTrustedCertificates : "")
        + (onEvictingPolicy != DEFAULT_ON_EVICTING_POLICY
            ? ", onEvictingPolicy=" + onEvictingPolicy
            : "")
        + (counting != Counting.OFF ? ", counting=" + counting : "")
        + '}';
  }

  /** A URI with the password (anything between "://" and "@") masked, for messages. */
  static String mask(String uri) {
    return uri.replaceAll("(://)[^@/]*@", "$1***@");
  }

  static RedisURI parse(String uri) {
    Objects.requireNonNull(uri, "uri");
    String lower = uri.toLowerCase(Locale.ROOT);
    if (!(lower.startsWith("redis://")
        || lower.startsWith("rediss://")
        || lower.startsWith("redis-sentinel://")
        || lower.startsWith("rediss-sentinel://"))) {
      throw new IllegalArgumentException(
          "Redis URI '" + mask(uri) + "' must start with redis://, rediss:// or redis-sentinel://");
    }
    try {
      return RedisURI.create(uri);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "invalid Redis URI '" + mask(uri) + "': " + e.getMessage(), e);
    }
  }

  /** Builds {@link RedisOptions}; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private Topology topology = Topology.STANDALONE;
    private final List<String> uris = new ArrayList<>();
    private @Nullable String username;
    private @Nullable String password;
    private @Nullable Integer database;
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private Durability durability = DEFAULT_DURABILITY;
    private int minReplicas = DEFAULT_MIN_REPLICAS;
    private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
    private @Nullable Duration connectTimeout;
    private TlsVerification tlsVerification = DEFAULT_TLS_VERIFICATION;
    private Counting counting = Counting.OFF;
    private @Nullable Path tlsTrustedCertificates;
    private OnEvictingPolicy onEvictingPolicy = DEFAULT_ON_EVICTING_POLICY;

    private Builder() {}

    /**
     * Sets one server (or a Sentinel setup) to connect to, replacing any URI or seed list.
     *
     * @param uri a {@code redis://}, {@code rediss://} or {@code redis-sentinel://} URI
     * @return this builder
     * @throws IllegalArgumentException if malformed; the message names it, password masked
     */
    public Builder uri(String uri) {
      RedisURI parsed = parse(uri);
      boolean sentinel = !parsed.getSentinels().isEmpty();
      if (sentinel
          && (parsed.getSentinelMasterId() == null || parsed.getSentinelMasterId().isEmpty())) {
        throw new IllegalArgumentException(
            "Sentinel URI '" + mask(uri) + "' names no master: add #masterName");
      }
      uris.clear();
      uris.add(uri);
      topology = sentinel ? Topology.SENTINEL : Topology.STANDALONE;
      return this;
    }

    /**
     * Sets the seed nodes of a Redis Cluster, replacing any URI.
     *
     * @param seedUris {@code redis://} or {@code rediss://} URIs of one or more nodes
     * @return this builder
     * @throws IllegalArgumentException if the list is empty or a URI is malformed or a Sentinel URI
     */
    public Builder clusterSeeds(List<String> seedUris) {
      Objects.requireNonNull(seedUris, "seedUris");
      if (seedUris.isEmpty()) {
        throw new IllegalArgumentException("a cluster seed list needs at least one URI, was empty");
      }
      for (String s : seedUris) {
        if (!parse(s).getSentinels().isEmpty()) {
          throw new IllegalArgumentException("cluster seed '" + mask(s) + "' is a Sentinel URI");
        }
      }
      uris.clear();
      uris.addAll(seedUris);
      topology = Topology.CLUSTER;
      return this;
    }

    /**
     * Sets ACL credentials, overriding those in the URI.
     *
     * @param username the ACL user, or null for the {@code default} user
     * @param password the password
     * @return this builder
     */
    public Builder credentials(@Nullable String username, String password) {
      if (username != null && username.isEmpty()) {
        throw new IllegalArgumentException(
            "username must not be empty (pass null for the default user)");
      }
      this.username = username;
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /**
     * Sets the database, overriding the URI's.
     *
     * @param database 0 to 15 on a default server; Cluster has only 0
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder database(int database) {
      if (database < 0) {
        throw new IllegalArgumentException("database must not be negative, was " + database);
      }
      this.database = database;
      return this;
    }

    /**
     * Sets the prefix of every key (default {@value #DEFAULT_KEY_PREFIX}), so several applications
     * can share a server.
     *
     * @param keyPrefix 1 to {@value #MAX_KEY_PREFIX_LENGTH} printable ASCII characters, without
     *     braces (they would change the hash slot) or spaces
     * @return this builder
     * @throws IllegalArgumentException otherwise
     */
    public Builder keyPrefix(String keyPrefix) {
      Objects.requireNonNull(keyPrefix, "keyPrefix");
      if (keyPrefix.isEmpty() || keyPrefix.length() > MAX_KEY_PREFIX_LENGTH) {
        throw new IllegalArgumentException(
            "keyPrefix must be 1 to "
                + MAX_KEY_PREFIX_LENGTH
                + " characters, was '"
                + keyPrefix
                + "'");
      }
      for (int i = 0; i < keyPrefix.length(); i++) {
        char c = keyPrefix.charAt(i);
        if (c <= ' ' || c >= 0x7f || c == '{' || c == '}') {
          throw new IllegalArgumentException(
              "keyPrefix '"
                  + keyPrefix
                  + "' holds a character that is not printable ASCII or is a brace, at index "
                  + i);
        }
      }
      this.keyPrefix = keyPrefix;
      return this;
    }

    /**
     * Sets how long a call waits for Redis (default 2 s); also bounds connecting unless {@link
     * #connectTimeout(Duration)} is set.
     *
     * @param commandTimeout positive
     * @return this builder
     * @throws IllegalArgumentException if zero or negative
     */
    public Builder commandTimeout(Duration commandTimeout) {
      Objects.requireNonNull(commandTimeout, "commandTimeout");
      if (commandTimeout.isZero() || commandTimeout.isNegative()) {
        throw new IllegalArgumentException(
            "commandTimeout must be positive, was " + commandTimeout);
      }
      this.commandTimeout = commandTimeout;
      return this;
    }

    /**
     * Sets how long opening a connection (TCP connect and TLS handshake) may take, apart from the
     * command timeout: a loaded machine or a remote server may need longer to connect than a
     * request should wait for an answer. Unset, connecting is bounded by the command timeout.
     *
     * @param connectTimeout positive
     * @return this builder
     * @throws IllegalArgumentException if zero or negative
     */
    public Builder connectTimeout(Duration connectTimeout) {
      Objects.requireNonNull(connectTimeout, "connectTimeout");
      if (connectTimeout.isZero() || connectTimeout.isNegative()) {
        throw new IllegalArgumentException(
            "connectTimeout must be positive, was " + connectTimeout);
      }
      this.connectTimeout = connectTimeout;
      return this;
    }

    /**
     * Sets how {@code rediss://} connections check the server (default {@link
     * TlsVerification#FULL}).
     *
     * @param tlsVerification the verification mode
     * @return this builder
     */
    public Builder tlsVerification(TlsVerification tlsVerification) {
      this.tlsVerification = Objects.requireNonNull(tlsVerification, "tlsVerification");
      return this;
    }

    /**
     * Trusts the certificates in a PEM file (a private CA) for {@code rediss://}, instead of the
     * JVM's default trust store. Verification still follows {@link #tlsVerification}.
     *
     * @param pemFile a readable PEM file of one or more X.509 certificates, or null for the JVM's
     * @return this builder
     * @throws IllegalArgumentException if the file is not readable
     */
    public Builder tlsTrustedCertificates(@Nullable Path pemFile) {
      if (pemFile != null && !Files.isReadable(pemFile)) {
        throw new IllegalArgumentException(
            "tlsTrustedCertificates '" + pemFile + "' is not a readable file");
      }
      this.tlsTrustedCertificates = pemFile;
      return this;
    }

    /**
     * Sets when logouts and revocations return (default {@link Durability#REPLICATED}).
     *
     * @param durability after the replicas acknowledged them, or at once
     * @return this builder
     */
    public Builder durability(Durability durability) {
      this.durability = Objects.requireNonNull(durability, "durability");
      return this;
    }

    /**
     * Sets how many replicas must acknowledge a logout or revocation under {@link
     * Durability#REPLICATED} even when fewer are connected (default {@value
     * #DEFAULT_MIN_REPLICAS}): with a minimum of 1, revocations fail rather than return while no
     * replica has them.
     *
     * @param minReplicas 0 or more
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder minReplicas(int minReplicas) {
      if (minReplicas < 0) {
        throw new IllegalArgumentException("minReplicas must not be negative, was " + minReplicas);
      }
      this.minReplicas = minReplicas;
      return this;
    }

    /**
     * Sets what connecting does when Redis reports a {@code maxmemory-policy} that may evict keys
     * (default {@link OnEvictingPolicy#REFUSE}). Only {@code noeviction} keeps every revocation;
     * {@link OnEvictingPolicy#ALLOW_AND_WARN} is an explicit acceptance that it may not.
     *
     * @param onEvictingPolicy refuse to connect, or connect with a warning and an unhealthy status
     * @return this builder
     */
    public Builder onEvictingPolicy(OnEvictingPolicy onEvictingPolicy) {
      this.onEvictingPolicy = Objects.requireNonNull(onEvictingPolicy, "onEvictingPolicy");
      return this;
    }

    /**
     * Sets whether the session scripts keep cluster-wide counts (default {@link Counting#OFF}).
     *
     * @param counting the mode
     * @return this builder
     */
    public Builder counting(Counting counting) {
      this.counting = Objects.requireNonNull(counting, "counting");
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     * @throws IllegalStateException if no URI was set
     * @throws IllegalArgumentException if a database other than 0 is set for a Cluster
     */
    public RedisOptions build() {
      return new RedisOptions(this);
    }
  }
}
