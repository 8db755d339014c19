package io.sessionkit.servlet.internal;

import io.sessionkit.core.AccessMode;
import io.sessionkit.core.AccessResult;
import io.sessionkit.core.Digests;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.LoginOptions;
import io.sessionkit.core.LoginResult;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionListeners;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.StoreUnavailableException;
import io.sessionkit.servlet.SessionFilter;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionBindingListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The session state of one request: which id the client presented, the session it resolved to, what
 * the application changed, and the one place that writes changes and the id header.
 *
 * <p><b>Write once, before commit.</b> {@link #beforeCommit()} runs the first time the response is
 * about to be committed (a flush, a redirect, an error, a full buffer, or the end of the filter
 * chain): it writes the changed attributes in one store call and sets the cookie or header once.
 * Changes made after that (the application kept working after flushing) are written by {@link
 * #finish()}; an id change at that point cannot reach the client any more and is logged.
 *
 * <p>Thread-safe: the application may use the session from several threads of one request.
 */
public final class SessionContext {
  /** The request attribute holding this context. */
  public static final String ATTRIBUTE = SessionContext.class.getName();

  private static final Logger LOG = LoggerFactory.getLogger(SessionContext.class);
  private static final String CACHE_CONTROL = "private, no-store";

  private final FilterOptions options;
  private final IdChannel channel;
  private final HttpListeners listeners;
  private final OutageLog outage;

  /** Whether a store call of this request succeeded (ends an outage in the log). */
  private volatile boolean reachedStore;

  /** The thread that runs the filter's outer pass. */
  private final Thread filterThread = Thread.currentThread();

  private final SessionStore store;
  private final SessionListeners storeListeners;
  private final HttpServletRequest request;
  private final HttpServletResponse response;
  private final String endReasonAttribute;

  private PresentedId presented = PresentedId.NONE;
  private @Nullable String presentedId;
  private @Nullable EndReason endReason;
  private @Nullable StoreHttpSession current;

  private boolean headersWritten;
  private volatile boolean finished;

  /** The header values this request set, to restore them after a {@code response.reset()}. */
  private final List<Map.Entry<String, String>> writtenHeaders = new ArrayList<>();

  /** The asynchronous context handed to the application, if it started one. */
  private @Nullable SessionAsyncContext async;

  /** Whether the application invalidated the session in this request. */
  private boolean invalidatedHere;

  /** The id the client holds after this response (null: none or unchanged). */
  private @Nullable String idSentOrKept;

  /**
   * @param options the filter's settings
   * @param listeners the session listeners to call
   * @param outage where store failures are counted and logged
   * @param request the request as the filter received it
   * @param response the response as the filter received it
   * @param endReasonAttribute the request attribute for the end reason
   */
  public SessionContext(
      FilterOptions options,
      HttpListeners listeners,
      OutageLog outage,
      HttpServletRequest request,
      HttpServletResponse response,
      String endReasonAttribute) {
    this.options = options;
    this.listeners = listeners;
    this.outage = outage;
    this.channel = options.channel();
    this.store = options.store();
    this.storeListeners = SessionListeners.of(store.config());
    this.request = request;
    this.response = response;
    this.endReasonAttribute = endReasonAttribute;
  }

  SessionStore store() {
    return store;
  }

  ServletContext servletContext() {
    return request.getServletContext();
  }

  /**
   * @return the normalized path of the request within the application
   */
  public String path() {
    String servletPath = request.getServletPath();
    String pathInfo = request.getPathInfo();
    return (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
  }

  /**
   * Reads the id the client presented and resolves it: one store call if the id is well-formed,
   * none otherwise.
   *
   * @throws io.sessionkit.core.StoreUnavailableException if the store cannot be reached
   */
  public void begin() {
    String source = channel.source();
    presented = channel.read(request);
    if (presented.kind() == PresentedId.Kind.AMBIGUOUS) {
      storeListeners.invalidIdPresented(source);
      return;
    }
    String value = presented.value();
    if (value == null) {
      return;
    }
    if (!store.config().idGenerator().isWellFormed(value)) {
      // Rejected before any I/O: a malformed id never reaches the store.
      storeListeners.invalidIdPresented(source);
      return;
    }
    presentedId = value;
    AccessResult r = store.access(value, options.accessModeFor(path()));
    reachedStore = true;
    Optional<Session> s = r.session();
    if (s.isPresent()) {
      synchronized (this) {
        current = StoreHttpSession.existing(this, s.get());
      }
      mdc(s.get());
    } else {
      r.endReason().ifPresent(this::ended);
    }
  }

  private void ended(EndReason reason) {
    endReason = reason;
    request.setAttribute(endReasonAttribute, reason);
  }

  /**
   * @return why the presented session ended, if it did and the store still knows
   */
  public synchronized Optional<EndReason> endReason() {
    return Optional.ofNullable(endReason);
  }

  /**
   * @return the live session of this request as the store last returned it; empty if none or not
   *     yet created
   */
  public synchronized Optional<Session> currentSession() {
    StoreHttpSession s = current;
    return s == null || !s.isValid() ? Optional.empty() : Optional.ofNullable(s.snapshot());
  }

  /**
   * {@code request.getSession(create)}.
   *
   * @param create whether to create a session if there is none
   * @return the session, or null
   */
  public @Nullable HttpSession getSession(boolean create) {
    StoreHttpSession created;
    synchronized (this) {
      StoreHttpSession s = current;
      if (s != null && s.isValid()) {
        return s;
      }
      if (!create) {
        return null;
      }
      if (headersWritten || response.isCommitted()) {
        // The client could never learn the id: Servlet says IllegalStateException.
        throw new IllegalStateException(
            "getSession(true): the response has already been committed");
      }
      // Created in the store lazily, at commit, together with its first attributes: one call.
      created = StoreHttpSession.pending(this);
      current = created;
    }
    return created;
  }

  /**
   * @return whether the presented id resolved to a live session that is still current
   */
  public synchronized boolean isRequestedSessionIdValid() {
    StoreHttpSession s = current;
    Session snap = s == null || !s.isValid() ? null : s.snapshot();
    return snap != null && presentedId != null && idEquals(snap.id(), presentedId);
  }

  /**
   * @return the handle of the id the client presented, if well-formed
   */
  public synchronized @Nullable String requestedHandle() {
    return presentedId == null ? null : Digests.handleOf(presentedId);
  }

  /**
   * @return whether the client presented a well-formed id
   */
  public synchronized boolean hasRequestedId() {
    return presentedId != null;
  }

  /** Creates a pending session in the store now, with the attributes set so far. */
  void materialize(StoreHttpSession s) {
    materialize(s, null);
  }

  /**
   * Creates a pending session in the store now.
   *
   * @param pending what {@link StoreHttpSession#pendingChanges()} just returned, or null to ask it
   */
  private void materialize(StoreHttpSession s, @Nullable SessionChanges pending) {
    synchronized (this) {
      if (!s.isPending() || !s.isValid()) {
        return;
      }
      SessionChanges initial = pending != null ? pending : s.pendingChanges();
      Session created = store.create(initial);
      reachedStore = true;
      s.adopt(created);
      mdc(created);
      s.written(initial);
    }
    listeners.created(s);
  }

  /**
   * {@code request.changeSessionId()}: renews the id in the store; changes of this request follow
   * the session to its new id at commit.
   *
   * @return the new handle
   * @throws IllegalStateException if there is no session, or it ended meanwhile
   */
  public String changeSessionId() {
    StoreHttpSession s;
    String oldHandle;
    String newHandle;
    synchronized (this) {
      s = current;
      if (s == null || !s.isValid()) {
        throw new IllegalStateException("changeSessionId: the request has no session");
      }
      if (s.isPending()) {
        materialize(s);
      }
      Session before = requireSnapshot(s);
      Optional<Session> renewed = store.renewId(before.id());
      if (renewed.isEmpty()) {
        s.markGone();
        current = null;
        throw new IllegalStateException("changeSessionId: the session ended meanwhile");
      }
      oldHandle = before.handle();
      s.adopt(renewed.get());
      mdc(renewed.get());
      newHandle = renewed.get().handle();
    }
    fireIdChanged(s, oldHandle);
    return newHandle;
  }

  private static Session requireSnapshot(StoreHttpSession s) {
    Session snap = s.snapshot();
    if (snap == null) {
      throw new IllegalStateException("the session has not been created");
    }
    return snap;
  }

  private void fireIdChanged(HttpSession s, String oldHandle) {
    listeners.idChanged(s, oldHandle);
  }

  /**
   * @return the session listeners of this request's filter
   */
  HttpListeners listeners() {
    return listeners;
  }

  /**
   * {@code session.invalidate()}: ends the session in the store at once, then unbinds its values.
   */
  void invalidate(StoreHttpSession s) {
    // Invalidation completes whatever a listener does (HttpListeners logs and goes on).
    listeners.destroyed(s);
    List<Map.Entry<String, Object>> bound;
    Session snap;
    synchronized (this) {
      if (!s.isValid()) {
        throw new IllegalStateException("invalidate: the session has been invalidated");
      }
      snap = s.snapshot();
      bound = s.invalidateLocally(listeners.hasAttributeListeners());
      invalidatedHere = true;
      clearMdc();
      if (current == s) {
        current = null;
      }
    }
    try {
      if (snap != null) {
        store.delete(snap.id(), EndReason.LOGOUT);
      }
    } finally {
      // As the containers do on invalidate: each value is unbound and each attribute removed.
      for (Map.Entry<String, Object> e : bound) {
        if (e.getValue() instanceof HttpSessionBindingListener l) {
          s.unbound(l, e.getKey(), e.getValue());
        }
        listeners.attributeRemoved(s, e.getKey(), e.getValue());
      }
    }
  }

  /**
   * Logs a user in on this request's session (see {@code SessionFilter.login}).
   *
   * @param userId the user
   * @param loginOptions the options
   * @return the store's answer
   */
  public LoginResult login(String userId, LoginOptions loginOptions) {
    LoginResult result;
    StoreHttpSession s;
    String oldHandle = null;
    boolean fresh = false;
    synchronized (this) {
      s = current;
      String currentId = null;
      if (s != null && s.isValid()) {
        Session snap = s.snapshot();
        if (snap != null) {
          // Write what this request changed first, so that it carries over with the login.
          SessionChanges pending = s.pendingChanges();
          if (!pending.isEmpty() && store.update(snap.id(), pending)) {
            s.written(pending);
          }
          currentId = snap.id();
          oldHandle = snap.handle();
        } else {
          // Never written: keep only what the login's options carry over (nothing by default).
          s.forgetUnwrittenExcept(loginOptions::carries);
        }
      }
      result = store.login(currentId, userId, loginOptions);
      if (result instanceof LoginResult.Accepted accepted) {
        if (s != null && s.isValid()) {
          s.adopt(accepted.session());
        } else {
          s = StoreHttpSession.existing(this, accepted.session());
          current = s;
          fresh = true;
        }
      }
    }
    if (result instanceof LoginResult.Accepted accepted) {
      mdc(accepted.session());
    }
    if (result.isAccepted() && s != null) {
      if (oldHandle != null) {
        fireIdChanged(s, oldHandle);
      } else if (fresh) {
        listeners.created(s);
      }
    }
    return result;
  }

  /**
   * Writes the changes and sets the id header, once, before the response is committed.
   *
   * @throws io.sessionkit.core.StoreUnavailableException if the store cannot be reached
   */
  public synchronized void beforeCommit() {
    if (headersWritten) {
      return;
    }
    writeChanges();
    writeHeaders();
    headersWritten = true;
  }

  /** At the end of the filter chain: commits if nothing did yet, else writes late changes. */
  public synchronized void finish() {
    if (!headersWritten) {
      beforeCommit();
      return;
    }
    writeChanges();
    StoreHttpSession s = current;
    Session live = s == null || !s.isValid() ? null : s.snapshot();
    if (live != null && (idSentOrKept == null || !idEquals(live.id(), idSentOrKept))) {
      LOG.warn(
          "session {} got a new id after the response was committed; the client cannot learn it",
          live.handle());
    }
  }

  /**
   * Wraps the container's asynchronous context so that completing it writes the session first.
   *
   * @param started what the container's {@code startAsync} returned
   * @return the context to hand to the application
   */
  public synchronized AsyncContext asyncStarted(AsyncContext started) {
    SessionAsyncContext a = async;
    if (a == null || a.delegate() != started) {
      a = new SessionAsyncContext(started, this);
      async = a;
    }
    return a;
  }

  /**
   * @param current the container's current asynchronous context
   * @return the wrapper handed out for it, or the context itself if the filter did not start it
   */
  public synchronized AsyncContext asyncContext(AsyncContext current) {
    SessionAsyncContext a = async;
    return a != null && a.delegate() == current ? a : current;
  }

  /**
   * Answers 503 if the response can still take it (the store failed while an asynchronous request
   * completed).
   *
   * @param e the failure
   */
  void storeUnavailable(StoreUnavailableException e) {
    outage.refused(e);
    if (!response.isCommitted()) {
      try {
        response.reset();
        Responses.json(
            response,
            HttpServletResponse.SC_SERVICE_UNAVAILABLE,
            "{\"error\":\"session_store_unavailable\"}");
      } catch (IOException | RuntimeException io) {
        LOG.debug("could not answer 503: {}", io.toString());
      }
    }
  }

  /**
   * @return whether this response already carries the session's cookie or id header
   */
  public synchronized boolean sessionHeadersSent() {
    return !writtenHeaders.isEmpty();
  }

  /**
   * Re-adds the session's {@code Set-Cookie}, after the application replaced every {@code
   * Set-Cookie}.
   */
  public synchronized void restoreSessionCookie() {
    for (Map.Entry<String, String> h : writtenHeaders) {
      if (h.getKey().equals("Set-Cookie")) {
        response.addHeader(h.getKey(), h.getValue());
      }
    }
  }

  /**
   * @return how the id travels
   */
  public IdChannel channel() {
    return channel;
  }

  /** Re-adds the headers this request set, after the application reset the response. */
  public synchronized void afterReset() {
    for (Map.Entry<String, String> h : writtenHeaders) {
      if (h.getKey().equals("Set-Cookie")) {
        response.addHeader(h.getKey(), h.getValue());
      } else {
        response.setHeader(h.getKey(), h.getValue());
      }
    }
  }

  private void writeChanges() {
    StoreHttpSession s = current;
    if (s == null || !s.isValid()) {
      return;
    }
    if (s.isPending()) {
      SessionChanges initial = s.pendingChanges();
      if (!initial.isEmpty()) {
        materialize(s, initial);
      }
      // A new session that holds nothing and whose id nobody asked for is not created at all: an
      // anonymous visit that only called getSession() costs no store write and no cookie.
      return;
    }
    Session snap = requireSnapshot(s);
    SessionChanges changes = s.pendingChanges();
    if (changes.isEmpty()) {
      return;
    }
    if (store.update(snap.id(), changes)) {
      reachedStore = true;
      s.written(changes);
    } else {
      // Ended on another server (or by the application through the store) during this request:
      // nothing is written and nothing recreated; tell the client why if the store knows.
      s.markGone();
      current = null;
      store.access(snap.id(), AccessMode.PASSIVE).endReason().ifPresent(this::ended);
    }
  }

  private void writeHeaders() {
    StoreHttpSession s = current;
    Session live = s == null || !s.isValid() ? null : s.snapshot();
    String value;
    if (live != null) {
      idSentOrKept = live.id();
      if (presentedId != null && idEquals(live.id(), presentedId)) {
        return;
      }
      value = live.id();
    } else if (clientMustDropItsId()) {
      value = null;
    } else {
      return;
    }
    if (response.isCommitted()) {
      LOG.warn(
          "response committed before the session id could be sent; the client keeps its old id");
      return;
    }
    Map.Entry<String, String> h =
        value == null ? channel.clear() : channel.handOut(value, store.config().clock().instant());
    header(h.getKey(), h.getValue());
    header("Cache-Control", CACHE_CONTROL);
  }

  /**
   * Whether the response tells the client to drop the id it presented: when the application ended
   * the session here, when the id was malformed or ambiguous, or when the store says the session
   * ended (a tombstone with a reason). Not when the store merely does not know the id: a session
   * renewed by a login or {@code changeSessionId} on a request running alongside this one leaves no
   * tombstone, and the client may already hold its successor, which a deletion cookie would wipe.
   */
  private boolean clientMustDropItsId() {
    return switch (presented.kind()) {
      case NONE -> false;
      case AMBIGUOUS -> true;
      case ONE -> invalidatedHere || presentedId == null || endReason != null;
    };
  }

  private void header(String name, String value) {
    writtenHeaders.add(Map.entry(name, value));
    if (name.equals("Set-Cookie")) {
      response.addHeader(name, value);
    } else {
      response.setHeader(name, value);
    }
  }

  /**
   * Writes the deletion cookie (or empty header) for a request the filter answers itself, whose
   * presented session ended.
   */
  public synchronized void clearClientId() {
    if (!headersWritten) {
      writeHeaders();
      headersWritten = true;
    }
  }

  /**
   * @return where store failures are counted and logged
   */
  public OutageLog outage() {
    return outage;
  }

  /**
   * @return whether a store call of this request succeeded
   */
  public boolean reachedStore() {
    return reachedStore;
  }

  /**
   * Puts the handle in the MDC, on the thread the filter runs on and while its outer pass runs
   * only: the filter removes it there when it returns, and a thread the application started
   * (asynchronous work, a pool) would keep it after the request.
   */
  private void mdc(Session s) {
    // Not after the outer pass returned: asynchronous completion and later dispatches may run on
    // the same pooled thread, after the filter removed the key for the last time.
    if (Thread.currentThread() == filterThread && !finished) {
      MDC.put(SessionFilter.MDC_KEY, s.handle());
    }
  }

  /** Removes the session handle from the MDC, if this is the filter's thread. */
  public void clearMdc() {
    if (Thread.currentThread() == filterThread) {
      MDC.remove(SessionFilter.MDC_KEY);
    }
  }

  /** Records that the filter's outer pass has returned. */
  public void markFinished() {
    finished = true;
  }

  /**
   * @return whether the filter's outer pass has returned
   */
  public boolean isFinished() {
    return finished;
  }

  /**
   * @return the filter's settings
   */
  public FilterOptions options() {
    return options;
  }

  private static boolean idEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }
}
