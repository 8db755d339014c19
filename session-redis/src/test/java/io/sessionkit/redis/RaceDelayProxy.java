package io.sessionkit.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on loopback between a client and Redis that holds every forwarded chunk, in either
 * direction, for a random 0 to {@code maxDelayMicros} µs: the randomized pauses that make racing
 * commands from two connections interleave in many orders. Each connection draws its pauses from a
 * {@link Random} seeded from the proxy's seed and the connection's number, so a seed names the
 * schedule as far as the OS scheduler allows.
 */
final class RaceDelayProxy implements AutoCloseable {
  private final String targetHost;
  private final int targetPort;
  private final long seed;
  private final int maxDelayMicros;
  private final ServerSocket server;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong chunks = new AtomicLong();
  private volatile boolean open = true;

  RaceDelayProxy(String targetHost, int targetPort, long seed, int maxDelayMicros)
      throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.seed = seed;
    this.maxDelayMicros = maxDelayMicros;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    Thread accept = new Thread(this::acceptLoop, "race-proxy-accept-" + server.getLocalPort());
    accept.setDaemon(true);
    accept.start();
  }

  /**
   * @return the URI a client connects to instead of Redis
   */
  String uri() {
    return "redis://127.0.0.1:" + server.getLocalPort();
  }

  /**
   * @return how many chunks were forwarded (and delayed) so far
   */
  long chunks() {
    return chunks.get();
  }

  private void acceptLoop() {
    while (open) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(targetHost, targetPort);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(upstream);
        long n = connections.incrementAndGet();
        pump(client, upstream, new Random(seed * 31 + n * 2), "up-" + n);
        pump(upstream, client, new Random(seed * 31 + n * 2 + 1), "down-" + n);
      } catch (IOException e) {
        if (open) {
          continue;
        }
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, Random random, String name) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[64 * 1024];
              try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                  int micros = random.nextInt(maxDelayMicros + 1);
                  if (micros > 0) {
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(micros));
                  }
                  out.write(buf, 0, n);
                  out.flush();
                  chunks.incrementAndGet();
                }
              } catch (IOException e) {
                // the other side closed: close both below
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "race-proxy-" + name);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    open = false;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    sockets.forEach(RaceDelayProxy::closeQuietly);
  }
}
