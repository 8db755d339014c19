package io.sessionkit.benchmarks;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A tiny RESP2 client on one socket, for what the comparison measures in Redis: command statistics,
 * the commands each request sends (counted with MONITOR), and the memory a session takes. Not
 * thread-safe.
 */
final class RedisAdmin implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final int port;

  RedisAdmin(String host, int port) throws IOException {
    this.port = port;
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(60_000);
    socket.connect(new InetSocketAddress(host, port), 5_000);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream());
  }

  int port() {
    return port;
  }

  /** Sends a command and reads its reply: String, Long, List or null. */
  @Nullable Object call(String... args) throws IOException {
    write(args);
    return read();
  }

  void write(String... args) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String a : args) {
      byte[] v = a.getBytes(StandardCharsets.UTF_8);
      b.writeBytes(("$" + v.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      b.writeBytes(v);
      b.writeBytes(new byte[] {'\r', '\n'});
    }
    out.write(b.toByteArray());
    out.flush();
  }

  @Nullable Object read() throws IOException {
    String line = readLine();
    char type = line.charAt(0);
    String rest = line.substring(1);
    switch (type) {
      case '+':
        return rest;
      case '-':
        throw new IOException("Redis error: " + rest);
      case ':':
        return Long.parseLong(rest);
      case '$':
        {
          int n = Integer.parseInt(rest);
          if (n < 0) {
            return null;
          }
          byte[] v = in.readNBytes(n + 2);
          return new String(v, 0, n, StandardCharsets.UTF_8);
        }
      case '*':
        {
          int n = Integer.parseInt(rest);
          if (n < 0) {
            return null;
          }
          List<@Nullable Object> items = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            items.add(read());
          }
          return items;
        }
      default:
        throw new IOException("unexpected RESP line " + line);
    }
  }

  String readLine() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(128);
    int prev = -1;
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("Redis closed the connection");
      }
      if (c == '\n' && prev == '\r') {
        byte[] all = b.toByteArray();
        return new String(all, 0, all.length - 1, StandardCharsets.UTF_8);
      }
      b.write(c);
      prev = c;
    }
  }

  /** {@code INFO commandstats} as command name to calls. */
  Map<String, Long> commandCalls() throws IOException {
    Map<String, Long> calls = new HashMap<>();
    for (String line : String.valueOf(call("INFO", "commandstats")).split("\r\n")) {
      if (line.startsWith("cmdstat_")) {
        String name = line.substring("cmdstat_".length(), line.indexOf(':'));
        String stats = line.substring(line.indexOf(':') + 1);
        for (String kv : stats.split(",")) {
          if (kv.startsWith("calls=")) {
            calls.put(name, Long.parseLong(kv.substring(6)));
          }
        }
      }
    }
    return calls;
  }

  /**
   * {@code INFO commandstats} as command name to its stats line ({@code
   * calls=..,usec_per_call=..}).
   */
  Map<String, String> commandStats() throws IOException {
    Map<String, String> stats = new TreeMap<>();
    for (String line : String.valueOf(call("INFO", "commandstats")).split("\r\n")) {
      if (line.startsWith("cmdstat_")) {
        stats.put(
            line.substring("cmdstat_".length(), line.indexOf(':')),
            line.substring(line.indexOf(':') + 1));
      }
    }
    return stats;
  }

  /** The bytes every key takes ({@code MEMORY USAGE key SAMPLES 0}, summed), and how many keys. */
  long[] memoryOfAllKeys() throws IOException {
    long bytes = 0;
    long keys = 0;
    String cursor = "0";
    do {
      List<?> reply = (List<?>) call("SCAN", cursor, "COUNT", "1000");
      cursor = String.valueOf(reply.get(0));
      List<?> batch = (List<?>) reply.get(1);
      for (Object k : batch) {
        write("MEMORY", "USAGE", String.valueOf(k), "SAMPLES", "0");
      }
      for (int i = 0; i < batch.size(); i++) {
        Object v = read();
        if (v instanceof Long l) {
          bytes += l;
          keys++;
        }
      }
    } while (!cursor.equals("0"));
    return new long[] {bytes, keys};
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
