package io.sessionkit.core;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: a listener that writes session and token events to the SLF4J logger {@value
 * #LOGGER_NAME}, one line each, as {@code key=value} pairs.
 *
 * <p>It never logs a session id or a token: sessions are named by handle, tokens by digest. User
 * ids and other caller-supplied strings are escaped (control characters, quotes and backslashes as
 * {@code \}{@code uXXXX}), so a user id with CR/LF cannot forge a log line. Stores register it by
 * default ({@link SessionConfig.Builder#auditLogging(boolean)}).
 *
 * <p>Thread-safe.
 */
public final class AuditLog implements SessionListener, RevocationListener {
  /** The name of the SLF4J logger: {@value}. */
  public static final String LOGGER_NAME = "io.sessionkit.audit";

  private static final AuditLog INSTANCE = new AuditLog(LoggerFactory.getLogger(LOGGER_NAME));

  private final Logger log;

  private AuditLog(Logger log) {
    this.log = log;
  }

  /**
   * The audit log.
   *
   * @return the shared instance
   */
  public static AuditLog instance() {
    return INSTANCE;
  }

  /**
   * An anonymous session is logged at {@code DEBUG} (anyone can make one; every visit to a login
   * page would otherwise write an audit line), a signed-in one at {@code INFO}.
   */
  @Override
  public void sessionCreated(SessionEvent e) {
    if (e.userId() == null) {
      log.debug("event=session_created handle={} user=-", e.handle());
    } else {
      log.info("event=session_created handle={} user={}", e.handle(), escape(e.userId()));
    }
  }

  @Override
  public void sessionEnded(SessionEvent e, EndReason reason) {
    log.info(
        "event=session_ended handle={} user={} reason={}", e.handle(), escape(e.userId()), reason);
  }

  @Override
  public void sessionIdChanged(SessionEvent e, String previousHandle) {
    log.info(
        "event=session_id_changed handle={} previous={} user={}",
        e.handle(),
        previousHandle,
        escape(e.userId()));
  }

  @Override
  public void invalidIdPresented(String source) {
    log.warn("event=invalid_id source={}", escape(source));
  }

  @Override
  public void attributeRejected(SessionEvent e, String attributeName) {
    log.warn("event=attribute_rejected handle={} attribute={}", e.handle(), escape(attributeName));
  }

  @Override
  public void loginRejected(String userId) {
    log.info("event=login_rejected user={}", escape(userId));
  }

  @Override
  public void tokenRevoked(String tokenDigest, @Nullable String subject) {
    log.info("event=token_revoked token={} user={}", tokenDigest, escape(subject));
  }

  @Override
  public void userRevoked(String userId, Instant notBefore) {
    log.info("event=user_revoked user={} not_before={}", escape(userId), notBefore);
  }

  @Override
  public void allRevoked(Instant notBefore) {
    log.warn("event=all_revoked not_before={}", notBefore);
  }

  @Override
  public void refreshTokenReused(String familyHandle, String subject) {
    log.warn("event=refresh_token_reused family={} user={}", familyHandle, escape(subject));
  }

  @Override
  public void refreshTokenReplayed(String familyHandle, String subject) {
    log.warn("event=refresh_token_replayed family={} user={}", familyHandle, escape(subject));
  }

  @Override
  public void memoryLossDetected(Instant notBefore) {
    log.warn("event=memory_loss_detected not_before={}", notBefore);
  }

  /**
   * Escapes a caller-supplied string for a log line.
   *
   * @param s the string, may be null
   * @return a quoted string with control characters, quotes and backslashes escaped, or {@code -}
   */
  public static String escape(@Nullable String s) {
    if (s == null) {
      return "-";
    }
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length() && i < 256; i++) {
      char c = s.charAt(i);
      if (c < 0x20
          || c == 0x7f
          || c == '"'
          || c == '\\'
          || (c >= 0x80 && c < 0xa0)
          || c == '\u2028'
          || c == '\u2029') {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (s.length() > 256) {
      sb.append("...");
    }
    return sb.append('"').toString();
  }
}
