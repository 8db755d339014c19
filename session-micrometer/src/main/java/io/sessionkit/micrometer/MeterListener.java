package io.sessionkit.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.LoginResult;
import io.sessionkit.core.RevocationListener;
import io.sessionkit.core.RevocationReason;
import io.sessionkit.core.SessionEvent;
import io.sessionkit.core.SessionListener;
import io.sessionkit.core.TokenCheck;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The counters, and the listener that moves those the store reports. Every counter is registered up
 * front (so a dashboard shows zero rather than nothing), except {@code ids.invalid}, whose sources
 * are registered as they appear; a source outside {@link #SOURCE} is counted as {@code other}, so a
 * caller cannot grow the number of series.
 */
final class MeterListener implements SessionListener, RevocationListener {
  /** What a source tag may be: a method or filter name, never input. */
  private static final Pattern SOURCE = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,31}");

  /** How many distinct sources are tagged before the rest count as {@code other}. */
  private static final int MAX_SOURCES = 32;

  private final MeterRegistry registry;
  private final Tags tags;
  private final Counter created;
  private final Map<EndReason, Counter> ended = new EnumMap<>(EndReason.class);
  private final Counter accepted;
  private final Counter rejected;
  private final Counter evicted;
  private final Counter checksActive;
  private final Map<RevocationReason, Counter> checksRefused =
      new EnumMap<>(RevocationReason.class);
  private final Counter revokedToken;
  private final Counter revokedUser;
  private final Counter revokedGlobal;
  private final Counter refreshReuse;
  private final Map<String, Counter> invalid = new ConcurrentHashMap<>();

  MeterListener(MeterRegistry registry, Tags tags) {
    this.registry = registry;
    this.tags = tags;
    this.created =
        counter(
            SessionKitMetrics.SESSIONS_CREATED,
            "Sessions that came into being (create, or a login "
                + "without a live current session)",
            Tags.empty());
    for (EndReason r : EndReason.values()) {
      ended.put(
          r,
          counter(
              SessionKitMetrics.SESSIONS_ENDED,
              "Sessions that ended, by reason",
              Tags.of("reason", tag(r.name()))));
    }
    this.accepted =
        counter(SessionKitMetrics.LOGINS, "Logins, by result", Tags.of("result", "accepted"));
    this.rejected =
        counter(SessionKitMetrics.LOGINS, "Logins, by result", Tags.of("result", "rejected"));
    this.evicted =
        counter(
            SessionKitMetrics.LOGINS_EVICTED,
            "Sessions ended to make room for a login",
            Tags.empty());
    this.checksActive =
        counter(
            SessionKitMetrics.TOKEN_CHECKS, "Token checks, by answer", Tags.of("result", "active"));
    for (RevocationReason r : RevocationReason.values()) {
      checksRefused.put(
          r,
          counter(
              SessionKitMetrics.TOKEN_CHECKS,
              "Token checks, by answer",
              Tags.of("result", tag(r.name()))));
    }
    this.revokedToken = revocation("token");
    this.revokedUser = revocation("user");
    this.revokedGlobal = revocation("global");
    this.refreshReuse = revocation("refresh-reuse");
  }

  private Counter revocation(String kind) {
    return counter(SessionKitMetrics.REVOCATIONS, "Revocations, by kind", Tags.of("kind", kind));
  }

  private Counter counter(String name, String description, Tags extra) {
    return Counter.builder(name).description(description).tags(tags).tags(extra).register(registry);
  }

  private static String tag(String enumName) {
    return enumName.toLowerCase(Locale.ROOT);
  }

  // ---------------------------------------------------------------------------------------------
  // what the decorators see

  void login(LoginResult result) {
    if (result instanceof LoginResult.Accepted a) {
      accepted.increment();
      if (!a.evicted().isEmpty()) {
        evicted.increment(a.evicted().size());
      }
    } else {
      rejected.increment();
    }
  }

  void check(TokenCheck answer) {
    answer
        .reason()
        .ifPresentOrElse(r -> counter(checksRefused, r).increment(), checksActive::increment);
  }

  // ---------------------------------------------------------------------------------------------
  // SessionListener

  @Override
  public void sessionCreated(SessionEvent event) {
    created.increment();
  }

  @Override
  public void sessionEnded(SessionEvent event, EndReason reason) {
    counter(ended, reason).increment();
  }

  @Override
  public void invalidIdPresented(String source) {
    String s = source != null && SOURCE.matcher(source).matches() ? source : "other";
    Counter c = invalid.get(s);
    if (c == null) {
      if (invalid.size() >= MAX_SOURCES) {
        s = "other";
      }
      c =
          invalid.computeIfAbsent(
              s,
              k ->
                  counter(
                      SessionKitMetrics.IDS_INVALID,
                      "Malformed session ids presented, " + "rejected before any I/O",
                      Tags.of("source", k)));
    }
    c.increment();
  }

  // ---------------------------------------------------------------------------------------------
  // RevocationListener

  @Override
  public void tokenRevoked(String tokenDigest, @Nullable String subject) {
    revokedToken.increment();
  }

  @Override
  public void userRevoked(String userId, Instant notBefore) {
    revokedUser.increment();
  }

  @Override
  public void allRevoked(Instant notBefore) {
    revokedGlobal.increment();
  }

  @Override
  public void refreshTokenReused(String familyHandle, String subject) {
    refreshReuse.increment();
  }

  @Override
  public String toString() {
    return "SessionKitMetrics listener";
  }

  /** The constructor registers a counter for every constant, so the lookup never misses. */
  private static <K extends Enum<K>> Counter counter(Map<K, Counter> counters, K key) {
    return Objects.requireNonNull(counters.get(key), "no counter for a constant");
  }
}
