package io.sessionkit.servlet.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * One client of a server, over real HTTP ({@link HttpClient}, HTTP/1.1): it keeps the session
 * cookie the way a browser would (set by a {@code Set-Cookie} with a value, dropped by one with
 * {@code Max-Age=0}), ignoring {@code Secure} because the tests run on plain HTTP. Not thread-safe
 * as to its cookie; {@link #get} itself may be called from many threads.
 */
public final class Browser {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /** Every session id any browser was handed, for scanning logs and bodies for leaks. */
  public static final Set<String> SEEN_IDS = ConcurrentHashMap.newKeySet();

  private final String cookieName;
  private volatile @Nullable String cookie;

  /**
   * @param cookieName the session cookie's name
   */
  public Browser(String cookieName) {
    this.cookieName = cookieName;
  }

  /**
   * @return the session cookie value held, or null
   */
  public @Nullable String cookie() {
    return cookie;
  }

  /**
   * @param value the cookie value to hold, or null for none
   */
  public void cookie(@Nullable String value) {
    this.cookie = value;
  }

  /**
   * A GET with the held cookie; the response's {@code Set-Cookie} updates it.
   *
   * @param uri the URI
   * @return the response
   */
  public Response get(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
    String c = cookie;
    if (c != null) {
      b.header("Cookie", cookieName + "=" + c);
    }
    return send(b.build());
  }

  /**
   * A request as given (extra headers and all), without the held cookie; the response's {@code
   * Set-Cookie} updates it.
   *
   * @param request the request
   * @return the response
   */
  public Response send(HttpRequest request) {
    try {
      HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      Response response = new Response(r.statusCode(), r.headers().map(), r.body());
      for (String sc : response.setCookies(cookieName)) {
        String value =
            sc.substring(sc.indexOf('=') + 1, sc.indexOf(';') < 0 ? sc.length() : sc.indexOf(';'));
        cookie = value.isEmpty() || sc.contains("Max-Age=0") ? null : value;
        if (cookie != null) {
          SEEN_IDS.add(cookie);
        }
      }
      return response;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends raw bytes as one HTTP/1.1 request (for header values {@link HttpClient} refuses to send:
   * CR/LF, non-ASCII, control characters) and reads the status line and headers.
   *
   * @param port the server port
   * @param rawHeaderLines header lines without CRLF, in order, each sent as UTF-8 bytes
   * @param path the request target
   * @return the response (body not read)
   */
  public static Response raw(int port, String path, List<String> rawHeaderLines) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      StringBuilder sb =
          new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      for (String h : rawHeaderLines) {
        sb.append(h).append("\r\n");
      }
      sb.append("Connection: close\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] all = in.readAllBytes();
      String text = new String(all, StandardCharsets.ISO_8859_1);
      int headerEnd = text.indexOf("\r\n\r\n");
      String head = headerEnd < 0 ? text : text.substring(0, headerEnd);
      String[] lines = head.split("\r\n");
      int status =
          lines.length == 0 || lines[0].length() < 12
              ? -1
              : Integer.parseInt(lines[0].substring(9, 12));
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers
              .computeIfAbsent(
                  lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                  k -> new ArrayList<>())
              .add(lines[i].substring(colon + 1).strip());
        }
      }
      return new Response(status, headers, headerEnd < 0 ? "" : text.substring(headerEnd + 4));
    } catch (IOException e) {
      // A container that closes the connection on a malformed request answers nothing: not a 500.
      return new Response(-1, Map.of(), "");
    }
  }

  /**
   * A response.
   *
   * @param status the status code (-1 if the connection closed without one)
   * @param headers the headers
   * @param body the body
   */
  public record Response(int status, Map<String, List<String>> headers, String body) {
    /**
     * @param name a header name, any case
     * @return its values
     */
    public List<String> header(String name) {
      List<String> out = new ArrayList<>();
      headers.forEach(
          (k, v) -> {
            if (k.equalsIgnoreCase(name)) {
              out.addAll(v);
            }
          });
      return out;
    }

    /**
     * @param cookieName a cookie name
     * @return the {@code Set-Cookie} values for that name
     */
    public List<String> setCookies(String cookieName) {
      return header("Set-Cookie").stream().filter(v -> v.startsWith(cookieName + "=")).toList();
    }

    /**
     * @param key a key printed by {@link ProbeServlet}
     * @return its value on the first line {@code key=value}, or null
     */
    public @Nullable String line(String key) {
      for (String l : body.split("\\R")) {
        if (l.startsWith(key + "=")) {
          return l.substring(key.length() + 1);
        }
      }
      return null;
    }
  }
}
