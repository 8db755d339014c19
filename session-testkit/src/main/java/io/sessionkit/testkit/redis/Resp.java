package io.sessionkit.testkit.redis;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A minimal RESP2 client for administering test servers (PING, FLUSHALL, INFO, CLUSTER INFO)
 * without a dependency on a Redis client library, so that the launcher cannot hide a bug in the
 * client under test. One connection per call; not for production traffic.
 */
final class Resp {
  private Resp() {}

  /**
   * Sends one command and reads its reply.
   *
   * @return a String (simple or bulk string), Long, List, or null for a nil reply
   * @throws IOException if the server cannot be reached or answers with an error
   */
  static @Nullable Object call(
      String host,
      int port,
      @Nullable String user,
      @Nullable String password,
      int timeoutMillis,
      String... command)
      throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      if (password != null) {
        write(
            out,
            user == null ? new String[] {"AUTH", password} : new String[] {"AUTH", user, password});
        read(in);
      }
      write(out, command);
      return read(in);
    }
  }

  private static void write(OutputStream out, String... command) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    buf.writeBytes(("*" + command.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String arg : command) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      buf.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      buf.writeBytes(bytes);
      buf.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.write(buf.toByteArray());
    out.flush();
  }

  private static @Nullable Object read(InputStream in) throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new IOException("connection closed by the server");
    }
    String line = readLine(in);
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new IOException("Redis error: " + line);
      case ':':
        return Long.parseLong(line);
      case '$':
        {
          int len = Integer.parseInt(line);
          if (len < 0) {
            return null;
          }
          byte[] data = in.readNBytes(len);
          readLine(in);
          return new String(data, StandardCharsets.UTF_8);
        }
      case '*':
        {
          int n = Integer.parseInt(line);
          if (n < 0) {
            return null;
          }
          List<@Nullable Object> items = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            items.add(read(in));
          }
          return items;
        }
      default:
        throw new IOException("unexpected RESP type byte " + type);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\r') {
        in.read();
        break;
      }
      line.write(c);
    }
    return line.toString(StandardCharsets.UTF_8);
  }
}
