package io.sessionkit.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.sessionkit.core.RefreshTokenService;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.RevocationListener;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionListener;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TokenRevocationService;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * SessionKit's meters on a Micrometer {@link MeterRegistry}, by composition: a listener that the
 * store's configuration carries, and decorators around the store and the revocation service.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>source</th></tr>
 *   <tr><td>{@value #SESSIONS_CREATED}</td><td>counter</td><td></td><td>listener</td></tr>
 *   <tr><td>{@value #SESSIONS_ENDED}</td><td>counter</td><td>{@code reason}: logout, idle_timeout,
 *       absolute_timeout, revoked, replaced, all_revoked</td><td>listener</td></tr>
 *   <tr><td>{@value #LOGINS}</td><td>counter</td><td>{@code result}: accepted, rejected</td>
 *       <td>store decorator</td></tr>
 *   <tr><td>{@value #LOGINS_EVICTED}</td><td>counter</td><td></td><td>store decorator</td></tr>
 *   <tr><td>{@value #TOKEN_CHECKS}</td><td>counter</td><td>{@code result}: active, revoked,
 *       all_revoked, globally_revoked, expired, malformed</td><td>service decorator</td></tr>
 *   <tr><td>{@value #REVOCATIONS}</td><td>counter</td><td>{@code kind}: token, user, global,
 *       refresh-reuse</td><td>listener</td></tr>
 *   <tr><td>{@value #IDS_INVALID}</td><td>counter</td><td>{@code source}: the method or filter that
 *       rejected the id (access, update, cookie, header, ...)</td><td>listener</td></tr>
 *   <tr><td>{@value #STORE_OPERATIONS}</td><td>timer (observation)</td><td>{@code operation},
 *       {@code outcome}, and {@code error} added by Micrometer</td><td>both decorators</td></tr>
 * </table>
 *
 * <p>Wiring, without Spring:
 *
 * <pre>{@code
 * SessionKitMetrics metrics = SessionKitMetrics.create(meterRegistry);
 * SessionConfig config = metrics.register(SessionConfig.builder()).build();
 * RevocationConfig revocation = metrics.register(RevocationConfig.builder()).build();
 * RedisSessionStore redisStore = RedisSessionStore.create(connector, config);
 * SessionStore store = metrics.observe(redisStore);               // what the application uses
 * TokenRevocationService tokens =
 *     metrics.observe(RedisTokenRevocationService.create(connector, revocation, redisStore));
 * }</pre>
 *
 * <p>The listener and the decorators each count what only they see exactly: the listener every
 * session the store itself created or ended (including sessions it found expired, and those a "sign
 * out everywhere" ended), the decorators what a call returned (a login's result, a check's answer)
 * and how long it took. Both are needed for the full set; either works alone for its part. Give the
 * revocation service the undecorated Redis store, so that it can still end a user's sessions in the
 * same script as it raises the watermark.
 *
 * <p>No tag ever holds a session id, a handle, a token or a user id. The cost is a few counter
 * increments per call and one observation per store operation; no Redis command is added.
 *
 * <p>Thread-safe; one instance per registry is enough for every store of the process.
 */
public final class SessionKitMetrics {
  /** Sessions that came into being: {@value}. */
  public static final String SESSIONS_CREATED = "sessionkit.sessions.created";

  /** Sessions that ended, by reason: {@value}. */
  public static final String SESSIONS_ENDED = "sessionkit.sessions.ended";

  /** Logins, by result: {@value}. */
  public static final String LOGINS = "sessionkit.logins";

  /** Sessions ended to make room for a login (kick-outs): {@value}. */
  public static final String LOGINS_EVICTED = "sessionkit.logins.evicted";

  /** Token checks, by answer: {@value}. */
  public static final String TOKEN_CHECKS = "sessionkit.tokens.checks";

  /** Revocations, by kind: {@value}. */
  public static final String REVOCATIONS = "sessionkit.revocations";

  /** Malformed session ids presented, by source: {@value}. */
  public static final String IDS_INVALID = "sessionkit.ids.invalid";

  /** The observation (and timer) of every store and service operation: {@value}. */
  public static final String STORE_OPERATIONS = "sessionkit.store.operations";

  private final MeterRegistry registry;
  private final ObservationRegistry observations;
  private final Tags tags;
  private final MeterListener listener;

  private SessionKitMetrics(Builder b) {
    this.registry = b.registry;
    this.tags = b.tags;
    ObservationRegistry o = b.observations;
    if (o == null) {
      o = ObservationRegistry.create();
      o.observationConfig().observationHandler(new DefaultMeterObservationHandler(registry));
    }
    this.observations = o;
    this.listener = new MeterListener(registry, tags);
  }

  /**
   * Meters on a registry, with operation timers made by a private observation registry that only
   * records them on {@code registry}.
   *
   * @param registry where the meters go
   * @return the metrics
   */
  public static SessionKitMetrics create(MeterRegistry registry) {
    return builder(registry).build();
  }

  /**
   * A builder.
   *
   * @param registry where the counters go
   * @return a builder
   */
  public static Builder builder(MeterRegistry registry) {
    return new Builder(registry);
  }

  /**
   * @return the registry the counters are on
   */
  public MeterRegistry registry() {
    return registry;
  }

  /**
   * @return the registry the operation observations go to
   */
  public ObservationRegistry observationRegistry() {
    return observations;
  }

  /**
   * The listener to register on every {@link SessionConfig} of the process; counts sessions created
   * and ended and malformed ids.
   *
   * @return the listener, the same instance every time
   */
  public SessionListener sessionListener() {
    return listener;
  }

  /**
   * The listener to register on every {@link RevocationConfig}; counts revocations by kind.
   *
   * @return the listener, the same instance every time
   */
  public RevocationListener revocationListener() {
    return listener;
  }

  /**
   * Adds {@link #sessionListener()} to a configuration being built.
   *
   * @param builder the builder
   * @return the same builder
   */
  public SessionConfig.Builder register(SessionConfig.Builder builder) {
    return builder.addListener(listener);
  }

  /**
   * Adds {@link #revocationListener()} to a configuration being built.
   *
   * @param builder the builder
   * @return the same builder
   */
  public RevocationConfig.Builder register(RevocationConfig.Builder builder) {
    return builder.addListener(listener);
  }

  /**
   * Decorates a store: every call is an observation named {@value #STORE_OPERATIONS}, and logins
   * are counted by result. The decorator forwards every call unchanged, adds no I/O, and closes the
   * store when closed.
   *
   * @param store the store, possibly already near-cached
   * @return the observed store
   */
  public SessionStore observe(SessionStore store) {
    Objects.requireNonNull(store, "store");
    return new ObservedSessionStore(store, observations, listener);
  }

  /**
   * Decorates a revocation service: every call is an observation, and checks are counted by answer.
   * If {@code tokens} also rotates refresh tokens, so does the result ({@link
   * RefreshTokenService}).
   *
   * @param tokens the service
   * @return the observed service
   */
  public TokenRevocationService observe(TokenRevocationService tokens) {
    Objects.requireNonNull(tokens, "tokens");
    return tokens instanceof RefreshTokenService
        ? new ObservedTokenRevocationService.Refreshing(tokens, observations, listener)
        : new ObservedTokenRevocationService(tokens, observations, listener);
  }

  @Override
  public String toString() {
    return "SessionKitMetrics{" + registry.getClass().getSimpleName() + ", tags=" + tags + '}';
  }

  /** Builds {@link SessionKitMetrics}. Not thread-safe. */
  public static final class Builder {
    private final MeterRegistry registry;
    private @Nullable ObservationRegistry observations;
    private Tags tags = Tags.empty();

    private Builder(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Sends the operation observations to this registry instead (Spring Boot's, with its tracer and
     * its meter handler); without one, a private registry times them on the meter registry.
     *
     * @param observations the observation registry
     * @return this builder
     */
    public Builder observationRegistry(ObservationRegistry observations) {
      this.observations = Objects.requireNonNull(observations, "observations");
      return this;
    }

    /**
     * Tags added to every counter (not to the observations, whose tags come from their registry's
     * conventions), for example the application's name. Keep them low-cardinality.
     *
     * @param tags the tags
     * @return this builder
     */
    public Builder tags(Iterable<Tag> tags) {
      this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
      return this;
    }

    /**
     * @return the metrics
     */
    public SessionKitMetrics build() {
      return new SessionKitMetrics(this);
    }
  }
}
