package io.sessionkit.core;

/**
 * A write would make a session larger than {@link SessionConfig#maxSessionBytes()}. Nothing of the
 * write was stored.
 */
public class SessionTooLargeException extends SessionException {
  private static final long serialVersionUID = 1L;

  /** The size the session would have had, in bytes. */
  private final long size;

  /** The configured limit, in bytes. */
  private final long limit;

  /**
   * Creates an exception.
   *
   * @param size the encoded size the session would have had, in bytes
   * @param limit the configured maximum, in bytes
   */
  public SessionTooLargeException(long size, long limit) {
    super(
        "session would hold "
            + size
            + " bytes of attributes, over the limit of "
            + limit
            + " bytes (SessionConfig.maxSessionBytes)");
    this.size = size;
    this.limit = limit;
  }

  /**
   * The size the session would have had.
   *
   * @return bytes of encoded attribute names and values
   */
  public long size() {
    return size;
  }

  /**
   * The configured maximum.
   *
   * @return bytes
   */
  public long limit() {
    return limit;
  }
}
