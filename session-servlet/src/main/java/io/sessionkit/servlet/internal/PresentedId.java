package io.sessionkit.servlet.internal;

import org.jspecify.annotations.Nullable;

/**
 * What a client presented as its session id: nothing, one value (not yet checked for format), or
 * something ambiguous (two different values, a value smuggled in a quoted span).
 *
 * @param kind which of the three
 * @param value the one value, for {@link Kind#ONE}
 */
public record PresentedId(Kind kind, @Nullable String value) {
  /** Nothing presented. */
  public static final PresentedId NONE = new PresentedId(Kind.NONE, null);

  /** Several or smuggled values: no session. */
  public static final PresentedId AMBIGUOUS = new PresentedId(Kind.AMBIGUOUS, null);

  /** Which kind of presentation. */
  public enum Kind {
    /** No id. */
    NONE,
    /** Exactly one value. */
    ONE,
    /** Conflicting values. */
    AMBIGUOUS
  }

  /**
   * @param value the value presented
   * @return a presentation of one value
   */
  public static PresentedId of(String value) {
    return new PresentedId(Kind.ONE, value);
  }

  @Override
  public String toString() {
    // Never the value: it may be a live id.
    return "PresentedId{" + kind + '}';
  }
}
