package io.sessionkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One client of the demo, like one browser: its own cookie jar, kept by hand (host-only cookies of
 * 127.0.0.1, which a browser also sends to the other port), and its own User-Agent.
 */
final class DemoClient {
  static final String COOKIE = "__Host-sid";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> cookies = new LinkedHashMap<>();
  private final String userAgent;

  DemoClient(String userAgent) {
    this.userAgent = userAgent;
  }

  record Response(int status, HttpHeaders headers, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (status " + status + "): " + body, e);
      }
    }

    Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    List<String> setCookies() {
      return headers.allValues("Set-Cookie");
    }
  }

  Response get(int port, String path, String... headers) {
    return send(HttpRequest.newBuilder(uri(port, path)).GET(), headers);
  }

  Response post(int port, String path, Map<String, String> form, String... headers) {
    String body =
        form.entrySet().stream()
            .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
            .collect(Collectors.joining("&"));
    return send(
        HttpRequest.newBuilder(uri(port, path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)),
        headers);
  }

  Response post(int port, String path, String... headers) {
    return post(port, path, Map.of(), headers);
  }

  /** Signs in and checks the answer: 303 to / with the session cookie. */
  Response login(int port, String user, String password) {
    Response r = post(port, "/login", Map.of("user", user, "password", password));
    assertThat(r.status()).as("login of %s: %s", user, r.body()).isEqualTo(303);
    assertThat(r.header("Location")).contains("/");
    assertThat(cookie()).isPresent();
    return r;
  }

  Optional<String> cookie() {
    return Optional.ofNullable(cookies.get(COOKIE));
  }

  void setCookie(String value) {
    cookies.put(COOKIE, value);
  }

  private Response send(HttpRequest.Builder b, String... headers) {
    b.header("User-Agent", userAgent);
    if (!cookies.isEmpty()) {
      b.header(
          "Cookie",
          cookies.entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining("; ")));
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> r =
          HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      for (String sc : r.headers().allValues("Set-Cookie")) {
        keep(sc);
      }
      return new Response(r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void keep(String setCookie) {
    String[] parts = setCookie.split(";");
    int eq = parts[0].indexOf('=');
    String name = parts[0].substring(0, eq).strip();
    String value = parts[0].substring(eq + 1).strip();
    boolean delete = value.isEmpty();
    for (int i = 1; i < parts.length; i++) {
      if (parts[i].strip().toLowerCase(Locale.ROOT).equals("max-age=0")) {
        delete = true;
      }
    }
    if (delete) {
      cookies.remove(name);
    } else {
      cookies.put(name, value);
    }
  }

  private static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
