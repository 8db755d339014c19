package io.sessionkit.examples;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the demo: two nodes sharing one session store, until Ctrl-C. Run it with {@code ./demo} at
 * the root of the repository; {@code ./demo --help} lists the options.
 */
public final class DemoApp {
  // Held so that the level set on it is not lost when the logger is garbage collected.
  private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");

  private DemoApp() {}

  /**
   * Starts both nodes and waits.
   *
   * @param args the options, see {@code --help}
   */
  public static void main(String[] args) throws InterruptedException {
    quietContainers();
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.println(DemoSettings.USAGE);
      return;
    }
    DemoSettings settings;
    try {
      settings = DemoSettings.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("demo: " + e.getMessage());
      System.err.println(DemoSettings.USAGE);
      System.exit(2);
      return;
    }
    Demo demo;
    try {
      // Millisecond ticks: JWT issue times carry milliseconds, and so do the revocation watermarks.
      demo = Demo.start(settings, Clock.tick(Clock.systemUTC(), Duration.ofMillis(1)));
    } catch (RuntimeException e) {
      System.err.println("demo: could not start: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  demo.close();
                  stopped.countDown();
                },
                "demo-shutdown"));
    System.out.println(banner(demo));
    stopped.await();
  }

  static String banner(Demo demo) {
    DemoSettings s = demo.settings();
    return String.join(
        "\n",
        "",
        "SessionKit demo: two nodes, one " + demo.backend().description(),
        "  node A (Jetty 12):  " + demo.urlA(),
        "  node B (Tomcat 11): " + demo.urlB(),
        "  users: alice, bob   password: " + UserDirectory.DEMO_PASSWORD,
        "  idle timeout "
            + s.idleTimeout()
            + ", absolute timeout "
            + s.absoluteTimeout()
            + ", at most "
            + s.maxSessionsPerUser()
            + " sessions per user",
        "Sign in on A, open the same page on B, sign in from a second browser; Ctrl-C stops.",
        "");
  }

  /**
   * Containers log at WARN; the audit log ({@code io.sessionkit.audit}) stays at INFO to show
   * events.
   */
  private static void quietContainers() {
    System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    TOMCAT_LOG.setLevel(Level.WARNING);
  }
}
