package io.sessionkit.core;

/** What a login does when it would exceed a {@link LoginPolicy} limit. */
public enum OnLimit {
  /**
   * End the least recently active sessions (earliest {@link SessionInfo#lastAccessedAt()}, ties
   * broken by earliest creation) with {@link EndReason#REPLACED} to make room for the new one.
   */
  EVICT_OLDEST,
  /** Refuse the new login and leave the existing sessions alone. */
  REJECT_NEW
}
