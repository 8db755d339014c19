package io.sessionkit.spring.security.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A browser for the tests: real HTTP, a cookie jar, no redirects followed. Not thread-safe. */
public final class Client {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private static final Pattern CSRF_INPUT =
      Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

  private final Map<String, String> cookies = new LinkedHashMap<>();
  private String accept = "text/html";

  /**
   * @return a client that asks for JSON, as an API client does
   */
  public Client asApi() {
    accept = "application/json";
    return this;
  }

  /**
   * @param name a cookie name
   * @return its value in the jar
   */
  public Optional<String> cookie(String name) {
    return Optional.ofNullable(cookies.get(name));
  }

  /**
   * @return a client holding a copy of this one's cookies (the same browser, replaying old cookies)
   */
  public Client copy() {
    Client c = new Client();
    c.cookies.putAll(cookies);
    c.accept = accept;
    return c;
  }

  /**
   * @param uri where
   * @return the response
   */
  public HttpResponse<String> get(URI uri) {
    return send(HttpRequest.newBuilder(uri).GET());
  }

  /**
   * Posts a form.
   *
   * @param uri where
   * @param form the fields
   * @return the response
   */
  public HttpResponse<String> post(URI uri, Map<String, String> form) {
    StringBuilder body = new StringBuilder();
    form.forEach(
        (k, v) ->
            body.append(body.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return send(
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  private HttpResponse<String> send(HttpRequest.Builder b) {
    b.header("Accept", accept);
    if (!cookies.isEmpty()) {
      StringBuilder c = new StringBuilder();
      cookies.forEach(
          (k, v) -> c.append(c.length() == 0 ? "" : "; ").append(k).append('=').append(v));
      b.header("Cookie", c.toString());
    }
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      for (String sc : r.headers().allValues("Set-Cookie")) {
        String pair = sc.split(";", 2)[0];
        int eq = pair.indexOf('=');
        String name = pair.substring(0, eq).trim();
        String value = pair.substring(eq + 1).trim();
        boolean deleted = value.isEmpty() || sc.toLowerCase(Locale.ROOT).contains("max-age=0");
        if (deleted) {
          cookies.remove(name);
        } else {
          cookies.put(name, value);
        }
      }
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The CSRF token of a page holding Spring Security's login form.
   *
   * @param html the page
   * @return the token
   */
  public static String csrfOf(String html) {
    Matcher m = CSRF_INPUT.matcher(html);
    if (!m.find()) {
      throw new AssertionError("no _csrf input in the page:\n" + html);
    }
    return m.group(1);
  }

  /**
   * Logs in through the form: GET /login for the CSRF token, POST /login.
   *
   * @param app the instance
   * @param user the user
   * @return the response to the POST
   */
  public HttpResponse<String> login(SecurityApp app, String user) {
    String token = csrfOf(get(app.uri("/login")).body());
    return post(
        app.uri("/login"),
        Map.of("username", user, "password", SecurityApp.PASSWORD, "_csrf", token));
  }

  /**
   * @param r a response
   * @return its Location header, or ""
   */
  public static String location(HttpResponse<?> r) {
    return r.headers().firstValue("Location").orElse("");
  }

  /**
   * @param r a response
   * @param names header names
   * @return the values of those headers
   */
  public static List<String> headers(HttpResponse<?> r, String names) {
    return r.headers().allValues(names);
  }
}
