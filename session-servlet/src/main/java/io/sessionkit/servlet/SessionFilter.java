package io.sessionkit.servlet;

import io.sessionkit.core.EndReason;
import io.sessionkit.core.LoginOptions;
import io.sessionkit.core.LoginResult;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.StoreUnavailableException;
import io.sessionkit.servlet.internal.CommitGuardResponse;
import io.sessionkit.servlet.internal.FilterOptions;
import io.sessionkit.servlet.internal.HttpListeners;
import io.sessionkit.servlet.internal.IdChannel;
import io.sessionkit.servlet.internal.OutageLog;
import io.sessionkit.servlet.internal.Responses;
import io.sessionkit.servlet.internal.SessionContext;
import io.sessionkit.servlet.internal.SessionRequest;
import io.sessionkit.servlet.internal.WebXmlSettings;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.EventListener;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes {@code request.getSession()} cluster-wide: the session lives in a {@link SessionStore}
 * (Redis, or in memory for one node), and every server that shares the store sees the same
 * sessions, logouts and kick-outs at once. Application code keeps using {@code HttpSession}.
 *
 * <p><b>Registration</b>, three ways:
 *
 * <pre>{@code
 * // 1. one line, from a ServletContainerInitializer or ServletContextListener:
 * SessionFilter.builder(store).register(servletContext);
 * // 2. programmatically, choosing the name and mapping yourself:
 * servletContext.addFilter("sessionkit", SessionFilter.builder(store).build())
 *     .addMappingForUrlPatterns(SessionFilter.dispatcherTypes(), false, "/*");
 * // 3. in web.xml, with <filter-class>io.sessionkit.servlet.SessionFilter</filter-class>: the store is
 * //    read from the ServletContext attribute STORE_ATTRIBUTE, settings from init parameters.
 * }</pre>
 *
 * Map it first, before any filter that uses the session, on every dispatcher type ({@link
 * #DISPATCHER_TYPES}).
 *
 * <p><b>What the application sees.</b> {@code getSession()}, {@code getSession(false)}, {@code
 * changeSessionId()} (a new id, the attributes kept), {@code invalidate()} (the session ends in the
 * store at once), the attribute methods, {@code setMaxInactiveInterval} (a per-session idle
 * timeout; the absolute timeout stays), {@code isNew}, {@code getCreationTime}, {@code
 * getLastAccessedTime}, {@link jakarta.servlet.http.HttpSessionBindingListener} values and the
 * {@link HttpSessionIdListener}s and {@link HttpSessionListener}s given to {@link
 * Builder#addListener(EventListener)}. {@code HttpSession.getId()} returns the session's non-secret
 * <em>handle</em>, never the secret id: what an application logs or prints cannot be replayed as a
 * login. Attribute values are encoded with the store's codec when they are set, so an unsupported
 * type fails at {@code setAttribute} with an {@link io.sessionkit.core.AttributeEncodingException}
 * naming the attribute.
 *
 * <p><b>Cost.</b> A request without an id: no store call. A request with a well-formed id: one
 * access (validate, touch, read), plus one write if it changed something; only changed attributes
 * are written, once, before the response is committed (also when the application flushes early). A
 * new session is created together with its first attributes in one call. A malformed, ambiguous or
 * oversized id never reaches the store.
 *
 * <p><b>Ended sessions.</b> A request presenting the id of a session that ended sees no session;
 * the reason, if the store still knows it, is in the request attribute {@link
 * #END_REASON_ATTRIBUTE} (also {@link #endReason(HttpServletRequest)}), and the client's cookie is
 * cleared. Requests under {@link Builder#rejectEndedSessions(String...)} paths get a JSON 401
 * instead: {@code {"error":"session_ended","reason":"replaced"}}.
 *
 * <p><b>Failure.</b> If the store cannot be reached, the filter answers 503 with a short JSON body,
 * never a stack trace or an id, and never lets the request through as anonymous.
 *
 * <p>Immutable once initialized, and thread-safe.
 */
public final class SessionFilter implements Filter {
  /** The default request and response header of {@link IdTransport#HEADER}: {@value}. */
  public static final String DEFAULT_HEADER_NAME = "X-Session-Id";

  /** The default filter name used by {@link Builder#register(ServletContext)}: {@value}. */
  public static final String DEFAULT_FILTER_NAME = "sessionkit";

  /**
   * The ServletContext attribute a {@code web.xml}-declared filter reads its store from: {@value}.
   */
  public static final String STORE_ATTRIBUTE = "io.sessionkit.core.SessionStore";

  /**
   * The request attribute holding the {@link EndReason} of the session the client presented:
   * {@value}.
   */
  public static final String END_REASON_ATTRIBUTE = "io.sessionkit.servlet.endReason";

  /**
   * The dispatcher types the filter should be mapped to: all of them. Unmodifiable; see {@link
   * #dispatcherTypes()}.
   */
  public static final Set<DispatcherType> DISPATCHER_TYPES =
      Collections.unmodifiableSet(EnumSet.allOf(DispatcherType.class));

  /**
   * The dispatcher types the filter should be mapped to, as the {@code EnumSet} that {@code
   * FilterRegistration.addMappingForUrlPatterns} takes: a new set on each call.
   *
   * @return every dispatcher type
   */
  public static EnumSet<DispatcherType> dispatcherTypes() {
    return EnumSet.allOf(DispatcherType.class);
  }

  /**
   * The SLF4J MDC key holding the current session's handle (never its id) while the filter handles
   * a request, on the request's thread, so that application log lines can be correlated: {@value}.
   * Set once the session is known (or created, renewed, logged in), removed when the filter
   * returns. Not set on threads the application starts itself (asynchronous work).
   */
  public static final String MDC_KEY = "sessionkit.handle";

  /**
   * Init parameter: the ServletContext attribute holding the store (default {@link
   * #STORE_ATTRIBUTE}).
   */
  public static final String PARAM_STORE_ATTRIBUTE = "store-attribute";

  /** Init parameter: {@code cookie} or {@code header}. */
  public static final String PARAM_TRANSPORT = "transport";

  /** Init parameter: the cookie name. */
  public static final String PARAM_COOKIE_NAME = "cookie-name";

  /** Init parameter: the cookie path. */
  public static final String PARAM_COOKIE_PATH = "cookie-path";

  /** Init parameter: the cookie domain. */
  public static final String PARAM_COOKIE_DOMAIN = "cookie-domain";

  /** Init parameter: the cookie Max-Age in seconds. */
  public static final String PARAM_COOKIE_MAX_AGE = "cookie-max-age";

  /** Init parameter: {@code true} or {@code false}. */
  public static final String PARAM_COOKIE_SECURE = "cookie-secure";

  /** Init parameter: {@code true} or {@code false}. */
  public static final String PARAM_COOKIE_HTTP_ONLY = "cookie-http-only";

  /** Init parameter: {@code strict}, {@code lax} or {@code none}. */
  public static final String PARAM_COOKIE_SAME_SITE = "cookie-same-site";

  /** Init parameter: the header of {@link IdTransport#HEADER}. */
  public static final String PARAM_HEADER_NAME = "header-name";

  /**
   * Init parameter: comma-separated path prefixes, see {@link
   * Builder#rejectEndedSessions(String...)}.
   */
  public static final String PARAM_REJECT_ENDED_PATHS = "reject-ended-paths";

  /** Init parameter: comma-separated path prefixes, see {@link Builder#passivePaths(String...)}. */
  public static final String PARAM_PASSIVE_PATHS = "passive-paths";

  private static final Logger LOG = LoggerFactory.getLogger(SessionFilter.class);

  private final @Nullable Builder source;
  private volatile @Nullable FilterOptions options;

  /** The builder's listeners and, once {@link #init} ran, the container's. */
  private volatile HttpListeners listeners = HttpListeners.NONE;

  private volatile @Nullable OutageLog outage;

  /**
   * For {@code web.xml}: the filter reads its store from the ServletContext attribute {@link
   * #STORE_ATTRIBUTE} (or the one named by the init parameter {@link #PARAM_STORE_ATTRIBUTE}) and
   * its settings from init parameters when the container initializes it.
   */
  public SessionFilter() {
    this.source = null;
  }

  private SessionFilter(Builder b) {
    this.source = b.copy();
    this.options = b.toOptions();
    this.listeners = HttpListeners.of(b.listeners);
  }

  /**
   * A builder with the secure defaults: cookie transport with {@link CookieSettings#defaults()}.
   *
   * @param store the store sessions live in
   * @return a new builder
   */
  public static Builder builder(SessionStore store) {
    return new Builder(store);
  }

  /**
   * A builder holding this filter's settings.
   *
   * @return a new builder
   * @throws IllegalStateException if this filter was declared in {@code web.xml} and not
   *     initialized
   */
  public Builder toBuilder() {
    Builder b = source;
    if (b == null) {
      FilterOptions o = requireOptions();
      b = new Builder(o.store());
      b.transport = o.transport();
      b.cookie = o.cookie();
      b.headerName = o.headerName();
      b.rejectEnded.addAll(o.rejectEndedPrefixes());
      b.passive.addAll(o.passivePrefixes());
      b.listeners.addAll(o.listeners());
      return b;
    }
    return b.copy();
  }

  private OutageLog outage(FilterOptions o) {
    OutageLog l = outage;
    if (l == null) {
      l = new OutageLog(LOG, "session store", o.store().config().clock());
      outage = l;
    }
    return l;
  }

  private FilterOptions requireOptions() {
    FilterOptions o = options;
    if (o == null) {
      throw new IllegalStateException(
          "SessionFilter declared without a store has not been initialized yet");
    }
    return o;
  }

  /**
   * @return the store
   */
  public SessionStore store() {
    return requireOptions().store();
  }

  /**
   * @return how the id travels
   */
  public IdTransport transport() {
    return requireOptions().transport();
  }

  /**
   * @return the cookie settings (used in {@link IdTransport#COOKIE} mode)
   */
  public CookieSettings cookie() {
    return requireOptions().cookie();
  }

  /**
   * @return the header name (used in {@link IdTransport#HEADER} mode)
   */
  public String headerName() {
    return requireOptions().headerName();
  }

  /**
   * Logs the user in on the current request's session: the store's {@code login} with the session's
   * current id, after which the request continues under the new id and the response hands the
   * client the new id. Apply the store's {@link io.sessionkit.core.LoginPolicy}: a rejected login
   * changes nothing. No attribute of the current session carries over into the new one (an
   * anonymous session is anyone's to plant values in); give {@link LoginOptions.Builder#carryOnly}
   * or {@link LoginOptions.Builder#carryOver} to {@link #login(HttpServletRequest, String,
   * LoginOptions)} to carry some or all of them. Attributes changed so far in this request are
   * written first, so they carry over like the others when the options allow.
   *
   * <pre>{@code
   * if (passwordOk) {
   *   LoginResult r = SessionFilter.login(request, user.id());
   *   if (!r.isAccepted()) { response.sendError(409, "too many sessions"); return; }
   * }
   * }</pre>
   *
   * @param request the current request, as the application received it
   * @param userId the user
   * @return the store's answer
   * @throws IllegalStateException if the request did not pass through a SessionFilter
   * @throws StoreUnavailableException if the store cannot be reached
   */
  public static LoginResult login(HttpServletRequest request, String userId) {
    return login(request, userId, LoginOptions.defaults());
  }

  /**
   * Logs the user in with options; see {@link #login(HttpServletRequest, String)}.
   *
   * @param request the current request
   * @param userId the user
   * @param options device metadata, timeouts override, attribute carry-over
   * @return the store's answer
   * @throws IllegalStateException if the request did not pass through a SessionFilter
   * @throws StoreUnavailableException if the store cannot be reached
   */
  public static LoginResult login(HttpServletRequest request, String userId, LoginOptions options) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(options, "options");
    return context(request).login(userId, options);
  }

  /**
   * The current request's session as the store last returned it (user, handle, times, metadata).
   * Changes of this request that are not written yet are not in it.
   *
   * @param request the current request
   * @return the live session, empty if there is none or it was only just requested and not yet
   *     created in the store
   * @throws IllegalStateException if the request did not pass through a SessionFilter
   */
  public static Optional<Session> currentSession(HttpServletRequest request) {
    return context(request).currentSession();
  }

  /**
   * Why the session the client presented ended (also in the request attribute {@link
   * #END_REASON_ATTRIBUTE}).
   *
   * @param request the current request
   * @return the reason, empty if the session is live, was never there, or its tombstone expired
   */
  public static Optional<EndReason> endReason(HttpServletRequest request) {
    Object r = request.getAttribute(END_REASON_ATTRIBUTE);
    return r instanceof EndReason e ? Optional.of(e) : Optional.empty();
  }

  private static SessionContext context(HttpServletRequest request) {
    Object c = request.getAttribute(SessionContext.ATTRIBUTE);
    if (c instanceof SessionContext sc) {
      return sc;
    }
    throw new IllegalStateException(
        "the request did not pass through a SessionFilter; map it on /* first");
  }

  /**
   * Reads the settings of a {@code web.xml}-declared filter, and, for every filter, finds the
   * session listeners registered with the container ({@code <listener>}, {@code @WebListener},
   * {@code ServletContext.addListener}) on Jetty and Tomcat, to call them with the builder's.
   */
  @Override
  public void init(FilterConfig config) throws ServletException {
    FilterOptions o = options;
    if (o == null) {
      try {
        o = WebXmlSettings.read(config).toOptions();
      } catch (IllegalArgumentException e) {
        throw new ServletException(
            "SessionFilter '" + config.getFilterName() + "': " + e.getMessage(), e);
      }
      options = o;
    }
    HttpListeners found = HttpListeners.forFilter(o.listeners(), config.getServletContext());
    listeners = found;
    LOG.debug(
        "SessionFilter '{}' calls {} session listener(s)", config.getFilterName(), found.size());
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request)
        || !(res instanceof HttpServletResponse response)) {
      chain.doFilter(req, res);
      return;
    }
    Object existing = request.getAttribute(SessionContext.ATTRIBUTE);
    if (existing instanceof SessionContext ctx) {
      // A forward, include, error or async dispatch of a request this filter already handles: keep
      // the container's session machinery out of reach, and let the outer pass commit.
      reenter(ctx, request, response, chain);
      return;
    }
    FilterOptions o = requireOptions();
    OutageLog outage = outage(o);
    SessionContext ctx =
        new SessionContext(o, listeners, outage, request, response, END_REASON_ATTRIBUTE);
    try {
      ctx.begin();
    } catch (StoreUnavailableException e) {
      unavailable(response, e, outage);
      ctx.clearMdc();
      return;
    }
    Optional<EndReason> ended = ctx.endReason();
    if (ended.isPresent() && FilterOptions.matches(o.rejectEndedPrefixes(), ctx.path())) {
      ctx.clearClientId();
      Responses.json(
          response,
          HttpServletResponse.SC_UNAUTHORIZED,
          "{\"error\":\"session_ended\",\"reason\":\""
              + ended.get().name().toLowerCase(Locale.ROOT)
              + "\"}");
      ctx.clearMdc();
      return;
    }
    request.setAttribute(SessionContext.ATTRIBUTE, ctx);
    CommitGuardResponse wrappedResponse = new CommitGuardResponse(response, ctx);
    try {
      chain.doFilter(new SessionRequest(request, ctx, wrappedResponse), wrappedResponse);
      if (request.isAsyncStarted()) {
        // The response stays open: the session is written when the application completes the
        // AsyncContext the filter handed out, when the response fills up, or when an async
        // dispatch returns; what changes after the commit is written when the request completes.
        request.getAsyncContext().addListener(new FinishOnComplete(ctx));
      } else {
        ctx.finish();
      }
      if (ctx.reachedStore()) {
        outage.reached();
      }
    } catch (RuntimeException | IOException | ServletException e) {
      StoreUnavailableException down = findUnavailable(e);
      if (down == null) {
        finishQuietly(ctx);
        throw e;
      }
      if (response.isCommitted()) {
        // Too late for a 503; counted like one.
        outage.refused(down);
        return;
      }
      unavailable(response, down, outage);
    } finally {
      ctx.markFinished();
      // The handle stays in the MDC for the length of the request on its thread, never longer.
      ctx.clearMdc();
    }
  }

  private static void reenter(
      SessionContext ctx,
      HttpServletRequest request,
      HttpServletResponse response,
      FilterChain chain)
      throws IOException, ServletException {
    CommitGuardResponse s =
        response instanceof CommitGuardResponse g ? g : new CommitGuardResponse(response, ctx);
    HttpServletRequest r =
        request instanceof SessionRequest ? request : new SessionRequest(request, ctx, s);
    chain.doFilter(r, s);
    if (ctx.isFinished() && !request.isAsyncStarted()) {
      // The outer pass already returned (an error page rendered after it): write what this one
      // changed.
      try {
        ctx.finish();
      } catch (StoreUnavailableException e) {
        ctx.outage().refused(e);
      }
    }
  }

  /** Writes what an asynchronous request changed after the filter returned. */
  private static final class FinishOnComplete implements AsyncListener {
    private final SessionContext ctx;

    FinishOnComplete(SessionContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      finishQuietly(ctx);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      finishQuietly(ctx);
    }

    @Override
    public void onError(AsyncEvent event) {
      finishQuietly(ctx);
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this);
    }
  }

  private static void finishQuietly(SessionContext ctx) {
    try {
      ctx.finish();
    } catch (StoreUnavailableException e) {
      ctx.outage().refused(e);
    } catch (RuntimeException e) {
      LOG.warn("could not write the session of a failed request", e);
    }
  }

  private static @Nullable StoreUnavailableException findUnavailable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof StoreUnavailableException s) {
        return s;
      }
      if (c instanceof ServletException se
          && se.getRootCause() != null
          && se.getRootCause() != c.getCause()) {
        StoreUnavailableException s = findUnavailable(se.getRootCause());
        if (s != null) {
          return s;
        }
      }
    }
    return null;
  }

  private static void unavailable(
      HttpServletResponse response, StoreUnavailableException e, OutageLog outage)
      throws IOException {
    // The cause goes to the server log only, once per outage; the client learns nothing but "try
    // again".
    outage.refused(e);
    if (!response.isCommitted()) {
      response.reset();
      Responses.json(
          response,
          HttpServletResponse.SC_SERVICE_UNAVAILABLE,
          "{\"error\":\"session_store_unavailable\"}");
    }
  }

  @Override
  public void destroy() {
    // The store belongs to the application, which closes it.
  }

  @Override
  public String toString() {
    FilterOptions o = options;
    return o == null ? "SessionFilter{uninitialized}" : "SessionFilter{" + o.channel() + '}';
  }

  /** Builds a {@link SessionFilter}. Not thread-safe. */
  public static final class Builder {
    private final SessionStore store;
    private IdTransport transport = IdTransport.COOKIE;
    private CookieSettings cookie = CookieSettings.defaults();
    private String headerName = DEFAULT_HEADER_NAME;
    private final List<String> rejectEnded = new ArrayList<>();
    private final List<String> passive = new ArrayList<>();
    private final List<EventListener> listeners = new ArrayList<>();

    private Builder(SessionStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    private Builder copy() {
      Builder b = new Builder(store);
      b.transport = transport;
      b.cookie = cookie;
      b.headerName = headerName;
      b.rejectEnded.addAll(rejectEnded);
      b.passive.addAll(passive);
      b.listeners.addAll(listeners);
      return b;
    }

    /**
     * @param transport cookie (default) or header
     * @return this builder
     */
    public Builder transport(IdTransport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /**
     * @param cookie the cookie settings (default {@link CookieSettings#defaults()})
     * @return this builder
     */
    public Builder cookie(CookieSettings cookie) {
      this.cookie = Objects.requireNonNull(cookie, "cookie");
      return this;
    }

    /**
     * @param headerName the header of {@link IdTransport#HEADER} (default {@value
     *     #DEFAULT_HEADER_NAME})
     * @return this builder
     * @throws IllegalArgumentException if it is not an HTTP token
     */
    public Builder headerName(String headerName) {
      Objects.requireNonNull(headerName, "headerName");
      if (headerName.isEmpty() || !headerName.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}")) {
        throw new IllegalArgumentException(
            "headerName must be an HTTP token, was '" + headerName + "'");
      }
      this.headerName = headerName;
      return this;
    }

    /**
     * Requests whose path (servlet path plus path info, as the container normalized it) starts with
     * one of these prefixes and that present an ended session get {@code 401} with {@code
     * {"error":"session_ended","reason":"replaced"}} (the reason in lower case) instead of reaching
     * the application. For API clients; browsers usually prefer the request attribute.
     *
     * @param pathPrefixes prefixes starting with {@code /}, e.g. {@code "/api/"}
     * @return this builder
     * @throws IllegalArgumentException if a prefix does not start with {@code /}
     */
    public Builder rejectEndedSessions(String... pathPrefixes) {
      rejectEnded.addAll(checkPrefixes("rejectEndedSessions", pathPrefixes));
      return this;
    }

    /**
     * Requests under these path prefixes read the session without extending its idle timeout
     * ({@link io.sessionkit.core.AccessMode#PASSIVE}), e.g. background polling.
     *
     * @param pathPrefixes prefixes starting with {@code /}
     * @return this builder
     * @throws IllegalArgumentException if a prefix does not start with {@code /}
     */
    public Builder passivePaths(String... pathPrefixes) {
      passive.addAll(checkPrefixes("passivePaths", pathPrefixes));
      return this;
    }

    private static List<String> checkPrefixes(String what, String... prefixes) {
      List<String> out = new ArrayList<>();
      for (String p : prefixes) {
        Objects.requireNonNull(p, what);
        if (!p.startsWith("/")) {
          throw new IllegalArgumentException(
              what + ": a path prefix must start with '/', was '" + p + "'");
        }
        out.add(p);
      }
      return out;
    }

    /**
     * Adds a listener: an {@link HttpSessionIdListener} (told when {@code changeSessionId} or a
     * login changes the id; ids given are handles), an {@link HttpSessionListener} (told when a
     * session is created or invalidated through this filter), an {@link
     * jakarta.servlet.http.HttpSessionAttributeListener} (attribute added, replaced, removed on
     * this server), or several of these. Listeners registered with the container are found at
     * {@code init} on Jetty and Tomcat and need not be added here; an instance given both ways is
     * called once.
     *
     * @param listener the listener
     * @return this builder
     * @throws IllegalArgumentException if it is none of these
     */
    public Builder addListener(EventListener listener) {
      Objects.requireNonNull(listener, "listener");
      if (!(listener instanceof HttpSessionIdListener)
          && !(listener instanceof HttpSessionListener)
          && !(listener instanceof HttpSessionAttributeListener)) {
        throw new IllegalArgumentException(
            "listener must be an HttpSessionIdListener, HttpSessionListener or "
                + "HttpSessionAttributeListener, was "
                + listener.getClass().getName());
      }
      listeners.add(listener);
      return this;
    }

    private FilterOptions toOptions() {
      return new FilterOptions(
          store,
          transport,
          cookie,
          headerName,
          rejectEnded,
          passive,
          listeners,
          IdChannel.of(transport, cookie, headerName));
    }

    /**
     * @return the filter
     */
    public SessionFilter build() {
      return new SessionFilter(this);
    }

    /**
     * Builds the filter and registers it as {@value #DEFAULT_FILTER_NAME} on {@code /*} for every
     * dispatcher type, ahead of filters declared in {@code web.xml}. Call it while the context
     * initializes (a {@code ServletContainerInitializer} or a declared {@code
     * ServletContextListener}).
     *
     * @param servletContext the context
     * @return the registration, to add more mappings
     * @throws IllegalStateException if a filter of that name is already registered
     */
    public FilterRegistration.Dynamic register(ServletContext servletContext) {
      FilterRegistration.Dynamic r = servletContext.addFilter(DEFAULT_FILTER_NAME, build());
      if (r == null) {
        throw new IllegalStateException(
            "a filter named '" + DEFAULT_FILTER_NAME + "' is already registered");
      }
      r.setAsyncSupported(true);
      r.addMappingForUrlPatterns(dispatcherTypes(), false, "/*");
      return r;
    }
  }
}
