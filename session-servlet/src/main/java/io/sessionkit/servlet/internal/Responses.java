package io.sessionkit.servlet.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The few responses the filters write themselves: short JSON, never cached, never a stack trace.
 */
public final class Responses {
  private Responses() {}

  /**
   * Writes a complete JSON response.
   *
   * @param response the response, not committed
   * @param status the status code
   * @param json the body, built from constants (never from request input)
   * @throws IOException if writing fails
   */
  public static void json(HttpServletResponse response, int status, String json)
      throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "private, no-store");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    response.flushBuffer();
  }
}
