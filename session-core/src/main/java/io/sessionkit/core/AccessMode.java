package io.sessionkit.core;

/** Whether an {@link SessionStore#access(String, AccessMode) access} counts as user activity. */
public enum AccessMode {
  /**
   * The access counts as activity: it extends the idle timeout (coalesced by the touch interval).
   */
  EXTEND,
  /**
   * The access does not count as activity: it reads the session without extending its idle timeout,
   * so that background polling cannot keep a session alive forever.
   */
  PASSIVE
}
