package io.sessionkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.testkit.MutableClock;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo in a real browser: Debian's headless Chromium, driven through its own chromedriver
 * (nothing is downloaded). Three separate browsers, like three devices, with a limit of two
 * sessions per user. Screenshots of each step go to {@code target/browser/}.
 *
 * <p>Runs in the {@code browser-tests} Maven profile, on unless {@code
 * -Dsessionkit.skipBrowserTests} is given; a missing browser or driver, or one that does not start,
 * fails the test.
 */
class DemoBrowserIT {
  private static final Path SHOTS = Path.of("target", "browser");
  private static final MutableClock CLOCK = MutableClock.startingNow();
  private static Demo demo;
  private static final List<WebDriver> BROWSERS = new ArrayList<>();
  private static final List<Path> PROFILES = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    Files.createDirectories(SHOTS);
    demo = Demo.start(DemoSettings.defaults().withPorts(0, 0).withMaxSessions(2), CLOCK);
  }

  @AfterAll
  static void stop() {
    BROWSERS.forEach(WebDriver::quit);
    PROFILES.forEach(Demo::deleteQuietly);
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void signInSeeBothNodesGetKickedOutAndSignedOutByAPasswordChange() throws IOException {
    String a = demo.urlA();
    String b = demo.urlB();

    // 1. The first browser signs in on node A.
    WebDriver first = browser();
    first.get(a);
    assertThat(first.findElement(By.id("login-form")).isDisplayed()).isTrue();
    assertThat(text(first, "node-name")).isEqualTo("A");
    shot(first, "01-login-form-on-A");
    signIn(first, "alice", "demo");
    assertThat(text(first, "user")).isEqualTo("alice");
    assertThat(text(first, "node-name")).isEqualTo("A");
    shot(first, "02-signed-in-on-A");

    // 2. The same page on node B: the same user, the same session.
    String handle = text(first, "handle");
    first.findElement(By.id("other-node")).click();
    await(first, "node-name", "B");
    assertThat(first.getCurrentUrl()).startsWith(b);
    assertThat(text(first, "user")).isEqualTo("alice");
    assertThat(text(first, "handle")).isEqualTo(handle);
    shot(first, "03-same-user-on-B");

    // 3. A second browser signs in on B: two sessions, the limit.
    CLOCK.advance(Duration.ofSeconds(1));
    WebDriver second = browser();
    second.get(b);
    signIn(second, "alice", "demo");
    assertThat(second.findElements(By.cssSelector("#devices tr.device"))).hasSize(2);
    shot(second, "04-second-browser-on-B");

    // 4. A third browser signs in on A, past the limit: the least recently active session (the
    //    first browser's) is signed out.
    CLOCK.advance(Duration.ofSeconds(1));
    WebDriver third = browser();
    third.get(a);
    signIn(third, "alice", "demo");
    assertThat(text(third, "message")).contains("Signed out your least recently active session");
    assertThat(third.findElements(By.cssSelector("#devices tr.device"))).hasSize(2);
    shot(third, "05-third-browser-past-the-limit");

    // 5. The first browser is told why.
    first.get(a);
    assertThat(first.findElement(By.id("login-form")).isDisplayed()).isTrue();
    assertThat(text(first, "message")).contains("signed in elsewhere");
    shot(first, "06-first-browser-signed-in-elsewhere");

    // 6. The second browser changes the password on B ...
    CLOCK.advance(Duration.ofSeconds(1));
    second.get(b);
    second.findElement(By.id("new-password")).sendKeys("correct horse");
    second.findElement(By.id("password-button")).click();
    await(second, "message", null);
    assertThat(text(second, "message")).contains("Password changed", "Signed out 1 other session");
    assertThat(text(second, "user")).isEqualTo("alice");
    shot(second, "07-password-changed-on-B");

    // 7. ... and the third browser's page on A goes back to the login form.
    third.get(a);
    assertThat(third.findElement(By.id("login-form")).isDisplayed()).isTrue();
    assertThat(text(third, "message")).contains("signed out everywhere");
    shot(third, "08-A-back-to-the-login-form");
  }

  private static WebDriver browser() throws IOException {
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(
                browserBinary("webdriver.chrome.driver", "/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
    Path profile = Files.createTempDirectory("sessionkit-chromium-");
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
        "--window-size=1100,1000",
        "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriver driver = new ChromeDriver(service, options);
    BROWSERS.add(driver);
    return driver;
  }

  private static void signIn(WebDriver browser, String user, String password) {
    browser.findElement(By.id("user-input")).sendKeys(user);
    browser.findElement(By.id("password-input")).sendKeys(password);
    browser.findElement(By.id("login-button")).click();
    await(browser, "user", user);
  }

  /**
   * Waits for the page to show the element (with the text, if given); a bound, not a speed check.
   */
  private static void await(WebDriver browser, String id, String text) {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    if (text == null) {
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
    } else {
      wait.until(ExpectedConditions.textToBe(By.id(id), text));
    }
  }

  private static String text(WebDriver browser, String id) {
    return browser.findElement(By.id(id)).getText().strip();
  }

  private static void shot(WebDriver browser, String name) throws IOException {
    byte[] png = ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(SHOTS.resolve(name + ".png"), png);
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
