package io.sessionkit.servlet.internal;

import jakarta.servlet.ServletContext;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EventListener;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the listeners an application registered with its container ({@code <listener>} in {@code
 * web.xml}, {@code @WebListener}, {@code ServletContext.addListener}), so that the filter can call
 * the session listeners among them as the container would have. The Servlet API offers no way to
 * list them, so this asks the two containers SessionKit is tested on through their public (Jetty)
 * or internal (Tomcat) methods, by reflection: no compile-time dependency on either. On another
 * container it finds nothing and says so once; listeners given to the filter's builder work
 * everywhere.
 *
 * <p>Call it once the context has started its listeners: from {@code Filter.init}.
 */
final class ContainerListeners {
  /** Jetty 12 ee10's context handler, looked up by this constant name only. */
  private static final String JETTY_HANDLER =
      "org.eclipse.jetty.ee10.servlet.ServletContextHandler";

  private static final Logger LOG = LoggerFactory.getLogger(ContainerListeners.class);

  private ContainerListeners() {}

  /**
   * @param context the application's context
   * @return its registered listeners of any type, or an empty list if the container is not known
   */
  static List<EventListener> of(ServletContext context) {
    List<EventListener> found = jetty(context);
    if (found == null) {
      found = tomcat(context);
    }
    if (found == null) {
      LOG.info(
          "listeners registered with this container ({}) are not visible to SessionFilter; give HttpSession "
              + "listeners to SessionFilter.Builder.addListener",
          context.getClass().getName());
      return List.of();
    }
    return found;
  }

  /** Jetty 12 ee10: ServletContextHandler.getServletContextHandler(ctx).getEventListeners(). */
  private static @Nullable List<EventListener> jetty(ServletContext context) {
    try {
      ClassLoader loader = context.getClass().getClassLoader();
      Class<?> handlerType = Class.forName(JETTY_HANDLER, false, loader);
      Object handler =
          handlerType
              .getMethod("getServletContextHandler", ServletContext.class)
              .invoke(null, context);
      if (handler == null) {
        return null;
      }
      Object listeners = handlerType.getMethod("getEventListeners").invoke(handler);
      return listeners instanceof List<?> l ? eventListeners(l) : null;
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return null;
    }
  }

  /**
   * Tomcat: the facade's ApplicationContext, its StandardContext, whose application lifecycle
   * listeners hold the HttpSessionListeners and whose application event listeners hold the id and
   * attribute listeners.
   */
  private static @Nullable List<EventListener> tomcat(ServletContext context) {
    try {
      Object applicationContext =
          field(context, "org.apache.catalina.core.ApplicationContextFacade", "context");
      if (applicationContext == null) {
        return null;
      }
      Object standardContext =
          field(applicationContext, "org.apache.catalina.core.ApplicationContext", "context");
      if (standardContext == null) {
        return null;
      }
      List<EventListener> out = new ArrayList<>();
      for (String getter :
          List.of("getApplicationLifecycleListeners", "getApplicationEventListeners")) {
        Method m = standardContext.getClass().getMethod(getter);
        Object[] listeners = (Object[]) m.invoke(standardContext);
        if (listeners != null) {
          out.addAll(eventListeners(Arrays.asList(listeners)));
        }
      }
      return out;
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return null;
    }
  }

  private static @Nullable Object field(Object target, String className, String name)
      throws ReflectiveOperationException {
    for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
      if (c.getName().equals(className)) {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
      }
    }
    return null;
  }

  private static List<EventListener> eventListeners(List<?> objects) {
    List<EventListener> out = new ArrayList<>();
    for (Object o : objects) {
      if (o instanceof EventListener l) {
        out.add(l);
      }
    }
    return out;
  }
}
