package io.sessionkit.benchmarks;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A closed-loop HTTP/1.1 load generator: {@code connections} threads, each with one keep-alive
 * socket to 127.0.0.1, each sending its next request as soon as the previous answer is read. It
 * runs a warm-up, then measures for a fixed time; every loop is bounded by time. Also the small
 * HTTP client the comparison uses to log in and to count Redis commands.
 *
 * <p>The client is deliberately minimal (no parsing beyond status, Content-Length or chunked
 * framing, and Set-Cookie) so that it takes as little of the shared CPU as possible.
 */
final class HttpLoad {
  private HttpLoad() {}

  /** What one measured run produced. */
  record Result(long requests, long errors, double seconds, long p50Micros, long p99Micros) {
    double requestsPerSecond() {
      return requests / seconds;
    }
  }

  /** One response: status, the first Set-Cookie pair (name=value) if any, and the body. */
  record Response(int status, @Nullable String cookie, String body) {}

  /** One keep-alive connection. Not thread-safe. */
  static final class Connection implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final String host;
    private final byte[] line = new byte[8192];

    Connection(int port) throws IOException {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(30_000);
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 16_384);
      host = "127.0.0.1:" + port;
    }

    static byte[] request(String host, String path, @Nullable String cookie) {
      String r =
          "GET "
              + path
              + " HTTP/1.1\r\nHost: "
              + host
              + "\r\n"
              + (cookie == null ? "" : "Cookie: " + cookie + "\r\n")
              + "\r\n";
      return r.getBytes(StandardCharsets.ISO_8859_1);
    }

    Response get(String path, @Nullable String cookie) throws IOException {
      return send(request(host, path, cookie));
    }

    Response send(byte[] request) throws IOException {
      out.write(request);
      out.flush();
      String status = readLine();
      if (status == null) {
        throw new IOException("connection closed by the server");
      }
      int code = Integer.parseInt(status.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      boolean close = false;
      String cookie = null;
      for (String h = readLine(); h != null && !h.isEmpty(); h = readLine()) {
        int colon = h.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = h.substring(colon + 1).trim();
        switch (name) {
          case "content-length" -> length = Long.parseLong(value);
          case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
          case "connection" -> close = value.equalsIgnoreCase("close");
          case "set-cookie" -> {
            int semi = value.indexOf(';');
            String pair = semi < 0 ? value : value.substring(0, semi);
            if (cookie == null && pair.indexOf('=') < pair.length() - 1) {
              cookie = pair; // a clearing cookie (empty value) is not a session
            }
          }
          default -> {}
        }
      }
      StringBuilder body = new StringBuilder();
      if (chunked) {
        while (true) {
          String size = readLine();
          int n = Integer.parseInt(size == null ? "0" : size.split(";")[0].trim(), 16);
          if (n == 0) {
            readLine();
            break;
          }
          readBody(n, body);
          readLine();
        }
      } else if (length > 0) {
        readBody(length, body);
      }
      if (close) {
        throw new IOException("the server closed the connection");
      }
      return new Response(code, cookie, body.toString());
    }

    private void readBody(long n, StringBuilder body) throws IOException {
      for (long i = 0; i < n; i++) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("truncated body");
        }
        body.append((char) b);
      }
    }

    private @Nullable String readLine() throws IOException {
      int n = 0;
      while (true) {
        int b = in.read();
        if (b < 0) {
          return n == 0 ? null : new String(line, 0, n, StandardCharsets.ISO_8859_1);
        }
        if (b == '\n') {
          if (n > 0 && line[n - 1] == '\r') {
            n--;
          }
          return new String(line, 0, n, StandardCharsets.ISO_8859_1);
        }
        if (n < line.length) {
          line[n++] = (byte) b;
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /**
   * Runs the load: a warm-up, then a measured window.
   *
   * @param port the app's port
   * @param path the endpoint
   * @param cookies one cookie per connection (its session), or null entries for none
   * @param expectedBody what a successful answer's body must be
   * @param window told when the measured window starts and ends
   */
  static Result run(
      int port,
      String path,
      List<@Nullable String> cookies,
      String expectedBody,
      double warmupSeconds,
      double seconds,
      Load.Window window)
      throws InterruptedException, IOException {
    int connections = cookies.size();
    AtomicLong requests = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long start = System.nanoTime();
    long measureFrom = start + (long) (warmupSeconds * 1e9);
    long measureTo = measureFrom + (long) (seconds * 1e9);
    List<long[]> latencies = new ArrayList<>();
    int[] counts = new int[connections];
    CountDownLatch done = new CountDownLatch(connections);
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      int me = c;
      long[] lat = new long[1 << 18];
      latencies.add(lat);
      Thread t =
          new Thread(
              () -> {
                try {
                  loop(
                      port,
                      path,
                      cookies.get(me),
                      expectedBody,
                      measureFrom,
                      measureTo,
                      lat,
                      counts,
                      me,
                      requests,
                      errors);
                } finally {
                  done.countDown();
                }
              },
              "load-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    sleepUntil(measureFrom);
    window.start();
    sleepUntil(measureTo);
    window.end();
    // Bounded: every loop stops at measureTo; allow the slowest request its socket timeout.
    if (!done.await((long) ((warmupSeconds + seconds) * 1000) + 35_000, TimeUnit.MILLISECONDS)) {
      threads.forEach(Thread::interrupt);
    }
    int total = 0;
    for (int n : counts) {
      total += n;
    }
    long[] all = new long[total];
    int at = 0;
    for (int c = 0; c < connections; c++) {
      System.arraycopy(latencies.get(c), 0, all, at, counts[c]);
      at += counts[c];
    }
    Arrays.sort(all);
    long p50 = all.length == 0 ? -1 : all[(all.length - 1) / 2];
    long p99 = all.length == 0 ? -1 : all[(int) Math.ceil(all.length * 0.99) - 1];
    return new Result(requests.get(), errors.get(), seconds, p50 / 1000, p99 / 1000);
  }

  private static void loop(
      int port,
      String path,
      @Nullable String cookie,
      String expectedBody,
      long measureFrom,
      long measureTo,
      long[] lat,
      int[] counts,
      int me,
      AtomicLong requests,
      AtomicLong errors) {
    Connection conn = null;
    byte[] request = Connection.request("127.0.0.1:" + port, path, cookie);
    int n = 0;
    try {
      while (true) {
        long t0 = System.nanoTime();
        if (t0 >= measureTo) {
          break;
        }
        boolean ok;
        try {
          if (conn == null) {
            conn = new Connection(port);
          }
          Response r = conn.send(request);
          ok = r.status() == 200 && r.body().equals(expectedBody);
        } catch (IOException e) {
          ok = false;
          closeQuietly(conn);
          conn = null;
        }
        long t1 = System.nanoTime();
        if (t0 >= measureFrom && t1 <= measureTo) {
          requests.incrementAndGet();
          if (!ok) {
            errors.incrementAndGet();
          }
          if (n < lat.length) {
            lat[n++] = t1 - t0;
          }
        }
      }
    } finally {
      counts[me] = n;
      closeQuietly(conn);
    }
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left = nanoTime - System.nanoTime();
    if (left > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  private static void closeQuietly(@Nullable Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException e) {
        // already broken
      }
    }
  }
}
