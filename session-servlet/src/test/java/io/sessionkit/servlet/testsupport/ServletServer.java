package io.sessionkit.servlet.testsupport;

import java.net.URI;

/** A running embedded servlet container on 127.0.0.1 and an ephemeral port. */
public interface ServletServer extends AutoCloseable {
  /**
   * @return the port the container listens on
   */
  int port();

  /**
   * @param pathAndQuery a path starting with {@code /}, with an optional query
   * @return the absolute URI on this server
   */
  default URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
  }

  /**
   * @return which container this is
   */
  Container container();

  /** Stops the container. */
  @Override
  void close();
}
