package io.sessionkit.servlet.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy in front of a Redis server that counts the commands clients send: each RESP array a
 * client writes is one command, so an {@code EVALSHA} counts once however many commands its script
 * runs inside Redis (which {@code INFO commandstats} would count too). This is the round-trip count
 * the design's I/O budget speaks of.
 */
public final class RedisCommandProxy implements AutoCloseable {
  private final String targetHost;
  private final int targetPort;
  private final ServerSocket listener;
  private final AtomicLong commands = new AtomicLong();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  /**
   * Starts listening on 127.0.0.1 and a free port.
   *
   * @param targetHost the Redis host
   * @param targetPort the Redis port
   * @throws IOException if no port can be bound
   */
  public RedisCommandProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "redis-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * @return a {@code redis://} URI through the proxy
   */
  public String uri() {
    return "redis://127.0.0.1:" + listener.getLocalPort();
  }

  /**
   * The URI of a server, credentials and database kept, with the proxy's address instead of the
   * server's. (Plain connections only: the proxy must read the commands.)
   *
   * @param redisUri the server's URI
   * @param hostAndPort the server's {@code host:port} as it appears in the URI
   * @return the URI through the proxy
   */
  public String uriFor(String redisUri, String hostAndPort) {
    return redisUri.replace(hostAndPort, "127.0.0.1:" + listener.getLocalPort());
  }

  /**
   * @return the commands clients sent through the proxy so far
   */
  public long commands() {
    return commands.get();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(targetHost, targetPort);
        sockets.add(client);
        sockets.add(server);
        start(
            "redis-proxy-up",
            () -> forwardCommands(client.getInputStream(), server.getOutputStream()));
        start(
            "redis-proxy-down", () -> server.getInputStream().transferTo(client.getOutputStream()));
      } catch (IOException e) {
        // Closed, or Redis went away: the client sees its connection fail, as without a proxy.
      }
    }
  }

  private interface Pump {
    void run() throws IOException;
  }

  private void start(String name, Pump pump) {
    Thread t =
        new Thread(
            () -> {
              try {
                pump.run();
              } catch (IOException e) {
                // Connection closed.
              }
            },
            name);
    t.setDaemon(true);
    t.start();
  }

  private void forwardCommands(InputStream rawIn, OutputStream out) throws IOException {
    InputStream in = new BufferedInputStream(rawIn);
    ByteArrayOutputStream command = new ByteArrayOutputStream();
    while (true) {
      command.reset();
      String header = readLine(in, command);
      if (header == null) {
        return;
      }
      if (header.startsWith("*")) {
        int parts = Integer.parseInt(header.substring(1));
        for (int i = 0; i < parts; i++) {
          String bulk = readLine(in, command);
          if (bulk == null) {
            return;
          }
          int len = Integer.parseInt(bulk.substring(1));
          byte[] data = in.readNBytes(len + 2);
          command.write(data);
        }
      }
      commands.incrementAndGet();
      command.writeTo(out);
      out.flush();
    }
  }

  private static String readLine(InputStream in, ByteArrayOutputStream copy) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int prev = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      copy.write(b);
      if (prev == '\r' && b == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.US_ASCII);
      }
      line.write(b);
      prev = b;
    }
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      // Already closed.
    }
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // Already closed.
      }
    }
  }
}
