package io.sessionkit.servlet.testsupport;

import java.lang.reflect.InvocationTargetException;
import org.apache.tomcat.InstanceManager;

/**
 * Instantiates filters, servlets and listeners without annotation processing, so that embedded
 * Tomcat runs without {@code tomcat-annotations-api} (not published for the pinned Tomcat version).
 */
final class PlainInstanceManager implements InstanceManager {
  private final ClassLoader loader;

  PlainInstanceManager(ClassLoader loader) {
    this.loader = loader;
  }

  @Override
  public Object newInstance(Class<?> clazz)
      throws IllegalAccessException,
          InvocationTargetException,
          InstantiationException,
          IllegalArgumentException,
          NoSuchMethodException,
          SecurityException {
    return clazz.getDeclaredConstructor().newInstance();
  }

  @Override
  public Object newInstance(String className)
      throws IllegalAccessException,
          InvocationTargetException,
          InstantiationException,
          ClassNotFoundException,
          IllegalArgumentException,
          NoSuchMethodException,
          SecurityException {
    return newInstance(className, loader);
  }

  @Override
  public Object newInstance(String fqcn, ClassLoader classLoader)
      throws IllegalAccessException,
          InvocationTargetException,
          InstantiationException,
          ClassNotFoundException,
          IllegalArgumentException,
          NoSuchMethodException,
          SecurityException {
    return newInstance(Class.forName(fqcn, true, classLoader));
  }

  @Override
  public void newInstance(Object o) {
    // Nothing to inject.
  }

  @Override
  public void destroyInstance(Object o) {
    // Nothing to call.
  }
}
