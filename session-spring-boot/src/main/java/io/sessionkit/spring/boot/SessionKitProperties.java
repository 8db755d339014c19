package io.sessionkit.spring.boot;

import io.sessionkit.core.LoginPolicy;
import io.sessionkit.core.OnLimit;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.TtlPolicy;
import io.sessionkit.redis.NearCacheOptions;
import io.sessionkit.redis.RedisOptions;
import io.sessionkit.servlet.IdTransport;
import io.sessionkit.servlet.SessionFilter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The SessionKit-only settings, under {@code sessionkit.*}. Where Spring Boot already has a
 * property for a setting, that property is used instead: {@code spring.data.redis.*} for the
 * connection, {@code server.servlet.session.timeout} for the idle timeout and {@code
 * server.servlet.session.cookie.*} for the cookie.
 *
 * <p>Every unset value keeps the default of the SessionKit builder it feeds. A value the builder
 * refuses fails startup with a message naming the property and the value. Mutable, for binding
 * only; not thread-safe.
 */
@ConfigurationProperties("sessionkit")
public class SessionKitProperties {

  /** Where sessions live. */
  public enum StoreType {
    /**
     * In Redis, configured by {@code spring.data.redis.*}: shared by every instance. The default.
     */
    REDIS,
    /**
     * In this JVM's memory: one instance only, lost on restart. For development and single nodes.
     */
    MEMORY
  }

  /** Whether SessionKit replaces the container's HttpSession. */
  private boolean enabled = true;

  /**
   * Where sessions live: redis (shared by every instance; the default) or memory (this instance
   * only).
   */
  private StoreType store = StoreType.REDIS;

  private final Timeout timeout = new Timeout();
  private final Login login = new Login();
  private final Redis redis = new Redis();
  private final Servlet servlet = new Servlet();
  private final Tokens tokens = new Tokens();
  private final Security security = new Security();

  /**
   * Largest encoded size of one session's attributes, in bytes; a bigger write fails at
   * setAttribute.
   */
  private int maxSessionBytes = SessionConfig.DEFAULT_MAX_SESSION_BYTES;

  /** How long the reason a session ended is remembered, so the next request learns why. */
  private Duration tombstoneTtl = SessionConfig.DEFAULT_TOMBSTONE_TTL;

  /** Whether logins, logouts and revocations are logged to the io.sessionkit.audit logger. */
  private boolean auditLogging = true;

  /**
   * @return whether SessionKit replaces the container's HttpSession
   */
  public boolean isEnabled() {
    return enabled;
  }

  /**
   * @param enabled whether SessionKit replaces the container's HttpSession
   */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * @return where sessions live
   */
  public StoreType getStore() {
    return store;
  }

  /**
   * @param store where sessions live
   */
  public void setStore(StoreType store) {
    this.store = store;
  }

  /**
   * @return the timeouts beyond Boot's idle timeout
   */
  public Timeout getTimeout() {
    return timeout;
  }

  /**
   * @return the login limits
   */
  public Login getLogin() {
    return login;
  }

  /**
   * @return the Redis settings beyond {@code spring.data.redis.*}
   */
  public Redis getRedis() {
    return redis;
  }

  /**
   * @return the filter settings beyond {@code server.servlet.session.cookie.*}
   */
  public Servlet getServlet() {
    return servlet;
  }

  /**
   * @return the token revocation settings
   */
  public Tokens getTokens() {
    return tokens;
  }

  /**
   * @return the Spring Security wiring
   */
  public Security getSecurity() {
    return security;
  }

  /**
   * @return the largest encoded size of one session, in bytes
   */
  public int getMaxSessionBytes() {
    return maxSessionBytes;
  }

  /**
   * @param maxSessionBytes the largest encoded size of one session, in bytes
   */
  public void setMaxSessionBytes(int maxSessionBytes) {
    this.maxSessionBytes = maxSessionBytes;
  }

  /**
   * @return how long the reason a session ended is remembered
   */
  public Duration getTombstoneTtl() {
    return tombstoneTtl;
  }

  /**
   * @param tombstoneTtl how long the reason a session ended is remembered
   */
  public void setTombstoneTtl(Duration tombstoneTtl) {
    this.tombstoneTtl = tombstoneTtl;
  }

  /**
   * @return whether audit logging is on
   */
  public boolean isAuditLogging() {
    return auditLogging;
  }

  /**
   * @param auditLogging whether audit logging is on
   */
  public void setAuditLogging(boolean auditLogging) {
    this.auditLogging = auditLogging;
  }

  /** Timeouts; the idle timeout is Boot's {@code server.servlet.session.timeout}. */
  public static class Timeout {
    /**
     * Longest lifetime of a session, however active (absolute timeout); 0 for none (then the idle
     * timeout alone ends sessions).
     */
    private Duration absolute = TtlPolicy.DEFAULT_ABSOLUTE_TIMEOUT;

    /**
     * How stale a session's last-access time may get before a read-only request writes it: fewer
     * writes, at the cost of an idle timeout that may end up to this much later.
     */
    private Duration touchInterval = TtlPolicy.DEFAULT_TOUCH_INTERVAL;

    /**
     * @return the absolute timeout, zero for none
     */
    public Duration getAbsolute() {
      return absolute;
    }

    /**
     * @param absolute the absolute timeout, zero for none
     */
    public void setAbsolute(Duration absolute) {
      this.absolute = absolute;
    }

    /**
     * @return the touch interval
     */
    public Duration getTouchInterval() {
      return touchInterval;
    }

    /**
     * @param touchInterval the touch interval
     */
    public void setTouchInterval(Duration touchInterval) {
      this.touchInterval = touchInterval;
    }
  }

  /** Login limits, enforced atomically across every instance. */
  public static class Login {
    /** Most sessions one user may have at once across all instances; 0 for no limit. */
    private int maxSessions;

    /** Most sessions one user may have per device type (browser, phone, ...); 0 for no limit. */
    private int maxSessionsPerDeviceType;

    /**
     * What a login beyond the limit does: evict-oldest (sign the oldest session out) or reject-new.
     */
    private OnLimit onLimit = LoginPolicy.DEFAULT_ON_LIMIT;

    /**
     * @return the limit per user, 0 for none
     */
    public int getMaxSessions() {
      return maxSessions;
    }

    /**
     * @param maxSessions the limit per user, 0 for none
     */
    public void setMaxSessions(int maxSessions) {
      this.maxSessions = maxSessions;
    }

    /**
     * @return the limit per device type, 0 for none
     */
    public int getMaxSessionsPerDeviceType() {
      return maxSessionsPerDeviceType;
    }

    /**
     * @param maxSessionsPerDeviceType the limit per device type, 0 for none
     */
    public void setMaxSessionsPerDeviceType(int maxSessionsPerDeviceType) {
      this.maxSessionsPerDeviceType = maxSessionsPerDeviceType;
    }

    /**
     * @return what a login beyond the limit does
     */
    public OnLimit getOnLimit() {
      return onLimit;
    }

    /**
     * @param onLimit what a login beyond the limit does
     */
    public void setOnLimit(OnLimit onLimit) {
      this.onLimit = onLimit;
    }
  }

  /** Redis settings that {@code spring.data.redis.*} has no property for. */
  public static class Redis {
    /** Prefix of every key SessionKit writes, so several applications can share one Redis. */
    private String keyPrefix = RedisOptions.DEFAULT_KEY_PREFIX;

    /**
     * When logouts and revocations return: replicated (after the connected replicas acknowledged
     * them; the default) or master.
     */
    private RedisOptions.Durability durability = RedisOptions.DEFAULT_DURABILITY;

    /** Replicas that must acknowledge a logout or revocation even when fewer are connected. */
    private int minReplicas = RedisOptions.DEFAULT_MIN_REPLICAS;

    /**
     * Whether the application starts while Redis is unreachable, answering 503 to requests that
     * need a session until Redis is there. Off by default: startup fails, naming the URI.
     */
    private boolean lazyConnect;

    /** How long opening a connection may take when spring.data.redis.connect-timeout is not set. */
    private Duration connectTimeout = Duration.ofSeconds(10);

    /**
     * How long a command may take when spring.data.redis.timeout is not set; a request waits no
     * longer for Redis before it is answered 503.
     */
    private Duration commandTimeout = RedisOptions.DEFAULT_COMMAND_TIMEOUT;

    /** How rediss:// connections check the server's certificate: full, ca or none (tests only). */
    private RedisOptions.TlsVerification tlsVerification = RedisOptions.DEFAULT_TLS_VERIFICATION;

    /**
     * PEM file of the certificates a rediss:// server must chain to, instead of the JVM's trust
     * store.
     */
    private @Nullable Path tlsTrustedCertificates;

    private final NearCache nearCache = new NearCache();

    /**
     * @return the key prefix
     */
    public String getKeyPrefix() {
      return keyPrefix;
    }

    /**
     * @param keyPrefix the key prefix
     */
    public void setKeyPrefix(String keyPrefix) {
      this.keyPrefix = keyPrefix;
    }

    /**
     * @return when logouts and revocations return
     */
    public RedisOptions.Durability getDurability() {
      return durability;
    }

    /**
     * @param durability when logouts and revocations return
     */
    public void setDurability(RedisOptions.Durability durability) {
      this.durability = durability;
    }

    /**
     * @return the replicas that must acknowledge
     */
    public int getMinReplicas() {
      return minReplicas;
    }

    /**
     * @param minReplicas the replicas that must acknowledge
     */
    public void setMinReplicas(int minReplicas) {
      this.minReplicas = minReplicas;
    }

    /**
     * @return whether startup goes on while Redis is unreachable
     */
    public boolean isLazyConnect() {
      return lazyConnect;
    }

    /**
     * @param lazyConnect whether startup goes on while Redis is unreachable
     */
    public void setLazyConnect(boolean lazyConnect) {
      this.lazyConnect = lazyConnect;
    }

    /**
     * @return the connect timeout used when Boot's is unset
     */
    public Duration getConnectTimeout() {
      return connectTimeout;
    }

    /**
     * @param connectTimeout the connect timeout used when Boot's is unset
     */
    public void setConnectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
    }

    /**
     * @return the command timeout used when Boot's is unset
     */
    public Duration getCommandTimeout() {
      return commandTimeout;
    }

    /**
     * @param commandTimeout the command timeout used when Boot's is unset
     */
    public void setCommandTimeout(Duration commandTimeout) {
      this.commandTimeout = commandTimeout;
    }

    /**
     * @return how rediss:// connections check the server
     */
    public RedisOptions.TlsVerification getTlsVerification() {
      return tlsVerification;
    }

    /**
     * @param tlsVerification how rediss:// connections check the server
     */
    public void setTlsVerification(RedisOptions.TlsVerification tlsVerification) {
      this.tlsVerification = tlsVerification;
    }

    /**
     * @return the trusted certificates' PEM file, if any
     */
    public @Nullable Path getTlsTrustedCertificates() {
      return tlsTrustedCertificates;
    }

    /**
     * @param tlsTrustedCertificates the trusted certificates' PEM file
     */
    public void setTlsTrustedCertificates(@Nullable Path tlsTrustedCertificates) {
      this.tlsTrustedCertificates = tlsTrustedCertificates;
    }

    /**
     * @return the near cache settings
     */
    public NearCache getNearCache() {
      return nearCache;
    }
  }

  /**
   * The optional near cache: session reads and token checks served from memory, invalidated by
   * Redis pub/sub.
   */
  public static class NearCache {
    /** Whether session reads and token checks are cached in memory on each instance. */
    private boolean enabled;

    /**
     * Longest time an entry is served after it was read from Redis (the staleness bound if a
     * message is lost).
     */
    private Duration maxAge = NearCacheOptions.DEFAULT_MAX_AGE;

    /** Most sessions cached per instance. */
    private int maximumSessions = NearCacheOptions.DEFAULT_MAXIMUM_SESSIONS;

    /** Most token answers cached per instance. */
    private int maximumTokens = NearCacheOptions.DEFAULT_MAXIMUM_TOKENS;

    /** Pub/sub channel of the invalidations; by default derived from the key prefix. */
    private @Nullable String channel;

    /**
     * @return whether the near cache is on
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * @param enabled whether the near cache is on
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * @return the longest time an entry is served
     */
    public Duration getMaxAge() {
      return maxAge;
    }

    /**
     * @param maxAge the longest time an entry is served
     */
    public void setMaxAge(Duration maxAge) {
      this.maxAge = maxAge;
    }

    /**
     * @return the most sessions cached
     */
    public int getMaximumSessions() {
      return maximumSessions;
    }

    /**
     * @param maximumSessions the most sessions cached
     */
    public void setMaximumSessions(int maximumSessions) {
      this.maximumSessions = maximumSessions;
    }

    /**
     * @return the most token answers cached
     */
    public int getMaximumTokens() {
      return maximumTokens;
    }

    /**
     * @param maximumTokens the most token answers cached
     */
    public void setMaximumTokens(int maximumTokens) {
      this.maximumTokens = maximumTokens;
    }

    /**
     * @return the channel, or null for the default
     */
    public @Nullable String getChannel() {
      return channel;
    }

    /**
     * @param channel the channel, or null for the default
     */
    public void setChannel(@Nullable String channel) {
      this.channel = channel;
    }
  }

  /** The filter's settings beyond Boot's cookie properties. */
  public static class Servlet {
    /** Where the session id travels: cookie (default) or header (for API clients). */
    private IdTransport transport = IdTransport.COOKIE;

    /** The request and response header of the header transport. */
    private String headerName = SessionFilter.DEFAULT_HEADER_NAME;

    /**
     * Path prefixes where a request with an ended session gets a JSON 401 naming the reason (e.g.
     * /api/) instead of going on without a session.
     */
    private List<String> rejectEndedPaths = new ArrayList<>();

    /**
     * Path prefixes whose requests read the session without extending its idle timeout (polling).
     */
    private List<String> passivePaths = new ArrayList<>();

    /**
     * @return where the session id travels
     */
    public IdTransport getTransport() {
      return transport;
    }

    /**
     * @param transport where the session id travels
     */
    public void setTransport(IdTransport transport) {
      this.transport = transport;
    }

    /**
     * @return the header of the header transport
     */
    public String getHeaderName() {
      return headerName;
    }

    /**
     * @param headerName the header of the header transport
     */
    public void setHeaderName(String headerName) {
      this.headerName = headerName;
    }

    /**
     * @return the paths where ended sessions get a JSON 401
     */
    public List<String> getRejectEndedPaths() {
      return rejectEndedPaths;
    }

    /**
     * @param rejectEndedPaths the paths where ended sessions get a JSON 401
     */
    public void setRejectEndedPaths(List<String> rejectEndedPaths) {
      this.rejectEndedPaths = rejectEndedPaths;
    }

    /**
     * @return the paths that do not extend the idle timeout
     */
    public List<String> getPassivePaths() {
      return passivePaths;
    }

    /**
     * @param passivePaths the paths that do not extend the idle timeout
     */
    public void setPassivePaths(List<String> passivePaths) {
      this.passivePaths = passivePaths;
    }
  }

  /** Token revocation settings. */
  public static class Tokens {
    /** Clock difference tolerated between servers when comparing issue times with watermarks. */
    private Duration clockSkew = RevocationConfig.DEFAULT_CLOCK_SKEW;

    /** Longest time a single token's revocation mark is kept (tokens living longer are capped). */
    private Duration maxRevocationTtl = RevocationConfig.DEFAULT_MAX_REVOCATION_TTL;

    /** How long a "sign out everywhere" watermark is kept: at least the longest token lifetime. */
    private Duration watermarkTtl = RevocationConfig.DEFAULT_WATERMARK_TTL;

    /**
     * @return the tolerated clock skew
     */
    public Duration getClockSkew() {
      return clockSkew;
    }

    /**
     * @param clockSkew the tolerated clock skew
     */
    public void setClockSkew(Duration clockSkew) {
      this.clockSkew = clockSkew;
    }

    /**
     * @return the longest revocation mark lifetime
     */
    public Duration getMaxRevocationTtl() {
      return maxRevocationTtl;
    }

    /**
     * @param maxRevocationTtl the longest revocation mark lifetime
     */
    public void setMaxRevocationTtl(Duration maxRevocationTtl) {
      this.maxRevocationTtl = maxRevocationTtl;
    }

    /**
     * @return how long watermarks are kept
     */
    public Duration getWatermarkTtl() {
      return watermarkTtl;
    }

    /**
     * @param watermarkTtl how long watermarks are kept
     */
    public void setWatermarkTtl(Duration watermarkTtl) {
      this.watermarkTtl = watermarkTtl;
    }
  }

  /** How Spring Security is wired, when the application has it. */
  public static class Security {
    /**
     * Whether Spring Security's logins go through SessionKit (atomic limits, new id), its logout
     * ends the SessionKit session, a cluster-wide SessionRegistry is provided, and a user whose
     * session ended is told why.
     */
    private boolean enabled = true;

    /**
     * The login page a browser whose session ended is sent to, with ?reason=replaced (or logout,
     * revoked, ...).
     */
    private String loginUrl = "/login";

    /**
     * The application's own principal or authority types stored in the security context, allowed in
     * the codec.
     */
    private List<Class<?>> allowedTypes = new ArrayList<>();

    /**
     * @return whether Spring Security is wired
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * @param enabled whether Spring Security is wired
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * @return the login page
     */
    public String getLoginUrl() {
      return loginUrl;
    }

    /**
     * @param loginUrl the login page
     */
    public void setLoginUrl(String loginUrl) {
      this.loginUrl = loginUrl;
    }

    /**
     * @return the application's types allowed in the codec
     */
    public List<Class<?>> getAllowedTypes() {
      return allowedTypes;
    }

    /**
     * @param allowedTypes the application's types allowed in the codec
     */
    public void setAllowedTypes(List<Class<?>> allowedTypes) {
      this.allowedTypes = allowedTypes;
    }
  }
}
