package io.sessionkit.spring.boot;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts a Boot application on a free port, as {@code java -jar app.jar --k=v ...} would. */
final class Boot {
  private Boot() {}

  static ConfigurableApplicationContext start(Class<?> app, String... properties) {
    return start(new Class<?>[] {app}, properties);
  }

  static ConfigurableApplicationContext start(Class<?>[] sources, String... properties) {
    List<String> args = new ArrayList<>();
    args.add("--server.port=0");
    args.add("--server.address=127.0.0.1");
    args.add("--spring.main.banner-mode=off");
    args.add("--logging.level.root=WARN");
    args.add("--logging.level.io.sessionkit=INFO");
    for (String p : properties) {
      args.add("--" + p);
    }
    return new SpringApplicationBuilder(sources)
        .web(WebApplicationType.SERVLET)
        .run(args.toArray(String[]::new));
  }

  static int port(ConfigurableApplicationContext context) {
    return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
  }
}
