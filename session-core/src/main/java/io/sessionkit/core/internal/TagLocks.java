package io.sessionkit.core.internal;

import io.sessionkit.core.Digests;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One lock per slot tag (4096 of them), the in-memory counterpart of Redis running each script of
 * one hash slot atomically: everything of a session lives under its id's tag and everything of a
 * user under the user's tag, so holding a tag's lock makes an operation on that session or user
 * atomic. An operation that spans two tags (a login moving an anonymous session to its user's tag)
 * takes both, always the lower index first, so two such operations cannot deadlock.
 *
 * <p>Usage: {@code try (TagLocks.Held h = locks.lock(tag)) { ... }}. Thread-safe.
 */
public final class TagLocks {
  /** The number of tags and locks: 2<sup>12</sup>. */
  public static final int COUNT = 1 << 12;

  private final ReentrantLock[] locks = new ReentrantLock[COUNT];

  /** Creates the 4096 locks. */
  public TagLocks() {
    for (int i = 0; i < COUNT; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  /**
   * The index of a tag.
   *
   * @param tag a slot tag of {@link Digests#TAG_CHARS} base64url characters
   * @return its value in [0, {@value #COUNT})
   * @throws IllegalArgumentException if it is not a tag
   */
  public static int indexOf(String tag) {
    if (tag.length() != Digests.TAG_CHARS) {
      throw new IllegalArgumentException(
          "a tag has " + Digests.TAG_CHARS + " characters, was " + tag.length());
    }
    int hi = Digests.indexOf(tag.charAt(0));
    int lo = Digests.indexOf(tag.charAt(1));
    if (hi < 0 || lo < 0) {
      throw new IllegalArgumentException("a tag holds only base64url characters");
    }
    return (hi << 6) | lo;
  }

  /**
   * Locks one tag.
   *
   * @param tag the tag
   * @return the held lock, to close
   */
  public Held lock(String tag) {
    ReentrantLock l = locks[indexOf(tag)];
    l.lock();
    return new Held(l, null);
  }

  /**
   * Locks two tags in a fixed order (lower index first); one lock if they are the same.
   *
   * @param a a tag
   * @param b another tag, possibly equal to {@code a}
   * @return the held locks, to close
   */
  public Held lock(String a, String b) {
    int ia = indexOf(a);
    int ib = indexOf(b);
    if (ia == ib) {
      return lock(a);
    }
    ReentrantLock first = locks[Math.min(ia, ib)];
    ReentrantLock second = locks[Math.max(ia, ib)];
    first.lock();
    try {
      second.lock();
    } catch (RuntimeException | Error e) {
      first.unlock();
      throw e;
    }
    return new Held(first, second);
  }

  /**
   * Whether the current thread holds a tag's lock; for assertions and tests.
   *
   * @param tag the tag
   * @return true if held by this thread
   */
  public boolean isHeldByCurrentThread(String tag) {
    return locks[indexOf(tag)].isHeldByCurrentThread();
  }

  /** Locks held by {@link #lock}; closing releases them in reverse order. Not thread-safe. */
  public static final class Held implements AutoCloseable {
    private final ReentrantLock first;
    private final @Nullable ReentrantLock second;
    private boolean open = true;

    private Held(ReentrantLock first, @Nullable ReentrantLock second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void close() {
      if (open) {
        open = false;
        if (second != null) {
          second.unlock();
        }
        first.unlock();
      }
    }
  }
}
