package io.sessionkit.servlet.testsupport;

import io.sessionkit.servlet.SessionFilter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.util.Set;

/**
 * The test web application: the store in the context attribute {@link
 * SessionFilter#STORE_ATTRIBUTE}, the filter registered with {@code ServletContext.addFilter} on
 * every dispatcher type, and the {@link ProbeServlet} on {@code /app/*}, {@code /api/*} and {@code
 * /poll/*}.
 */
public final class TestApp implements ServletContainerInitializer {
  private final SessionFilter filter;

  /**
   * @param filter the filter to register
   */
  public TestApp(SessionFilter filter) {
    this.filter = filter;
  }

  @Override
  public void onStartup(Set<Class<?>> classes, ServletContext ctx) {
    ctx.setAttribute(SessionFilter.STORE_ATTRIBUTE, filter.store());
    FilterRegistration.Dynamic r = ctx.addFilter("sessionkit", filter);
    r.setAsyncSupported(true);
    r.addMappingForUrlPatterns(SessionFilter.dispatcherTypes(), false, "/*");
    addProbe(ctx);
  }

  /**
   * Adds the probe servlet on {@code /app/*}, {@code /api/*} and {@code /poll/*}.
   *
   * @param ctx the context
   */
  public static void addProbe(ServletContext ctx) {
    ServletRegistration.Dynamic probe = ctx.addServlet("probe", new ProbeServlet());
    probe.setAsyncSupported(true);
    probe.addMapping("/app/*", "/api/*", "/poll/*");
  }
}
