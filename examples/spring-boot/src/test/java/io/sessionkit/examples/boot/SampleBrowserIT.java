package io.sessionkit.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Spring Boot sample as {@code ./demo spring} runs it, two instances on one redis-server, in
 * Debian's headless Chromium: sign in on A, the same session and counter on B, the devices page,
 * and a second browser's login pushing the first out (limit 1 here) with the reason shown.
 * Screenshots go to {@code target/browser/}.
 *
 * <p>Runs in the {@code browser-tests} profile, on unless {@code -Dsessionkit.skipBrowserTests} is
 * given; a missing browser or driver fails the test, saying how to get it.
 */
class SampleBrowserIT {
  private static final Path SHOTS = Path.of("target", "browser");
  private static final List<WebDriver> BROWSERS = new ArrayList<>();
  private static final List<Path> PROFILES = new ArrayList<>();
  private static RedisServer redis;
  private static ConfigurableApplicationContext a;
  private static ConfigurableApplicationContext b;

  @BeforeAll
  static void start() throws IOException {
    Files.createDirectories(SHOTS);
    redis = RedisServers.standalone();
    a = instance("A");
    b = instance("B");
  }

  private static ConfigurableApplicationContext instance(String node) {
    return new SpringApplicationBuilder(SampleApp.class)
        .run(
            "--server.port=0",
            "--sample.node=" + node,
            "--spring.data.redis.url=" + redis.uri(),
            "--sessionkit.login.max-sessions=1",
            "--spring.main.banner-mode=off",
            "--logging.level.root=WARN");
  }

  @AfterAll
  static void stop() throws IOException {
    BROWSERS.forEach(WebDriver::quit);
    for (Path p : PROFILES) {
      try (var files = Files.walk(p)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void signInOnAUseTheSessionOnBSeeTheDeviceAndGetSignedOutByASecondLogin() throws IOException {
    String urlA = "http://localhost:" + a.getEnvironment().getProperty("local.server.port");
    String urlB = "http://localhost:" + b.getEnvironment().getProperty("local.server.port");

    WebDriver first = browser();
    first.get(urlA + "/");
    assertThat(first.getCurrentUrl()).endsWith("/login");
    shot(first, "boot-01-login-on-A");
    signIn(first);
    assertThat(text(first, "user")).isEqualTo("alice");
    assertThat(text(first, "node-name")).isEqualTo("A");
    first.findElement(By.id("increment")).click();
    await(first, "count", "1");
    shot(first, "boot-02-counter-on-A");

    first.get(urlB + "/");
    assertThat(text(first, "node-name")).isEqualTo("B");
    assertThat(text(first, "user")).isEqualTo("alice");
    assertThat(text(first, "count")).isEqualTo("1");
    first.findElement(By.id("increment")).click();
    await(first, "count", "2");
    first.findElement(By.id("devices")).click();
    await(first, "device-count", "1");
    shot(first, "boot-03-devices-on-B");

    WebDriver second = browser();
    second.get(urlB + "/login");
    signIn(second);
    assertThat(text(second, "node-name")).isEqualTo("B");
    assertThat(text(second, "count")).isEqualTo("0");

    first.get(urlA + "/");
    assertThat(first.getCurrentUrl()).contains("/login?reason=replaced");
    assertThat(text(first, "reason")).contains("signed in on another device");
    shot(first, "boot-04-replaced-on-A");
  }

  private static void signIn(WebDriver driver) {
    driver.findElement(By.id("sign-in")).click();
    new WebDriverWait(driver, Duration.ofSeconds(20))
        .ignoring(StaleElementReferenceException.class)
        .until(d -> !d.findElements(By.id("user")).isEmpty());
  }

  private static void await(WebDriver driver, String id, String value) {
    new WebDriverWait(driver, Duration.ofSeconds(20))
        .ignoring(StaleElementReferenceException.class)
        .until(
            d -> {
              var found = d.findElements(By.id(id));
              return !found.isEmpty() && found.get(0).getText().equals(value);
            });
  }

  private static String text(WebDriver driver, String id) {
    return driver.findElement(By.id(id)).getText();
  }

  private static void shot(WebDriver driver, String name) throws IOException {
    Files.write(
        SHOTS.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
  }

  private static WebDriver browser() throws IOException {
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(
                browserBinary("webdriver.chrome.driver", "/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
    Path profile = Files.createTempDirectory("sessionkit-boot-chromium");
    PROFILES.add(profile);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(browserBinary("sessionkit.chromium", "/usr/bin/chromium"));
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1000,800",
        "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriver driver = new ChromeDriver(service, options);
    BROWSERS.add(driver);
    return driver;
  }

  /** The binary the property names, or the default; fails saying how to get it if it is missing. */
  private static File browserBinary(String property, String fallback) {
    File f = new File(System.getProperty(property, fallback));
    if (!f.canExecute()) {
      throw new IllegalStateException(
          "the browser test needs "
              + f
              + " (-D"
              + property
              + "=...): apt-get install chromium chromium-driver; -Dsessionkit.skipBrowserTests leaves"
              + " the browser tests out");
    }
    return f;
  }
}
