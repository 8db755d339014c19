package io.sessionkit.spring.boot;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One browser over real HTTP: its own cookie jar kept by hand (host-only cookies of 127.0.0.1,
 * which a browser sends to every port of the host, so one jar serves both instances; Secure cookies
 * are sent over plain HTTP as browsers do for localhost), redirects not followed.
 */
final class Browser {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

  private final Map<String, String> cookies = new LinkedHashMap<>();

  record Response(int status, HttpHeaders headers, String body) {
    Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    Optional<String> location() {
      return header("Location");
    }

    /**
     * @return the CSRF token of a form in the page
     */
    String csrf() {
      Matcher m = CSRF.matcher(body);
      if (!m.find()) {
        throw new AssertionError("no _csrf field in (status " + status + "): " + body);
      }
      return m.group(1);
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

  Optional<String> cookie(String name) {
    return Optional.ofNullable(cookies.get(name));
  }

  Map<String, String> cookies() {
    return cookies;
  }

  private Response send(HttpRequest.Builder b, String... headers) {
    if (!cookies.isEmpty()) {
      b.header(
          "Cookie",
          cookies.entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining("; ")));
    }
    boolean accept = false;
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
      accept |= headers[i].equalsIgnoreCase("Accept");
    }
    if (!accept) {
      // what a browser sends for a page: Spring Security answers it with redirects, not 401 or 204
      b.header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
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

  static List<String> setCookies(Response r) {
    return r.headers().allValues("Set-Cookie");
  }

  private static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
