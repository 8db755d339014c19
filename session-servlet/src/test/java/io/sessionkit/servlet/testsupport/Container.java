package io.sessionkit.servlet.testsupport;

import jakarta.servlet.ServletContainerInitializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The embedded containers the filters are tested on; each starts with no session handling of its
 * own.
 */
public enum Container {
  /** Jetty 12, ee10 (Servlet 6.0). */
  JETTY {
    @Override
    public ServletServer start(ServletContainerInitializer initializer) {
      ServletContextHandler context = new ServletContextHandler("/");
      context.addServletContainerInitializer(initializer);
      return startJetty(context);
    }
  },

  /** Tomcat 11 (Servlet 6.1). */
  TOMCAT {
    @Override
    public ServletServer start(ServletContainerInitializer initializer) {
      Tomcat tomcat = tomcat();
      Context context = tomcat.addContext("", null);
      plain(context);
      context.addServletContainerInitializer(initializer, null);
      return startTomcat(tomcat);
    }
  };

  /**
   * Starts the container with one context at {@code /}, configured by the initializer.
   *
   * @param initializer adds filters, servlets and listeners
   * @return the running server
   */
  public abstract ServletServer start(ServletContainerInitializer initializer);

  /**
   * Starts a Jetty with one handler, on an ephemeral loopback port.
   *
   * @param handler the context (a {@code ServletContextHandler} or a {@code WebAppContext})
   * @return the running server
   */
  public static ServletServer startJetty(Handler handler) {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(handler);
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("Jetty did not start", e);
    }
    int port = connector.getLocalPort();
    return new ServletServer() {
      @Override
      public int port() {
        return port;
      }

      @Override
      public Container container() {
        return JETTY;
      }

      @Override
      public void close() {
        try {
          server.stop();
        } catch (Exception e) {
          throw new IllegalStateException("Jetty did not stop", e);
        }
      }
    };
  }

  /**
   * @return a Tomcat with a temporary base directory and a connector on an ephemeral port
   */
  public static Tomcat tomcat() {
    try {
      Tomcat tomcat = new Tomcat();
      tomcat.setBaseDir(Files.createTempDirectory("sessionkit-tomcat").toString());
      Connector connector = new Connector();
      connector.setPort(0);
      connector.setProperty("address", "127.0.0.1");
      tomcat.setConnector(connector);
      return tomcat;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Makes a Tomcat context run without annotation processing (see {@link PlainInstanceManager}).
   *
   * @param context the context
   */
  public static void plain(Context context) {
    context.setIgnoreAnnotations(true);
    context.setInstanceManager(new PlainInstanceManager(Container.class.getClassLoader()));
  }

  /**
   * Starts a configured Tomcat.
   *
   * @param tomcat the Tomcat from {@link #tomcat()} with its context added
   * @return the running server
   */
  public static ServletServer startTomcat(Tomcat tomcat) {
    try {
      tomcat.start();
    } catch (LifecycleException e) {
      throw new IllegalStateException("Tomcat did not start", e);
    }
    int port = tomcat.getConnector().getLocalPort();
    return new ServletServer() {
      @Override
      public int port() {
        return port;
      }

      @Override
      public Container container() {
        return TOMCAT;
      }

      @Override
      public void close() {
        try {
          tomcat.stop();
          tomcat.destroy();
        } catch (LifecycleException e) {
          throw new IllegalStateException("Tomcat did not stop", e);
        }
      }
    };
  }

  /**
   * @param dir a directory to create
   * @return the directory
   */
  static Path mkdirs(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
