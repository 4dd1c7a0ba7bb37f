package dev.ancla.snapshot;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test endpoints on 127.0.0.1 for a store that cannot be used: one that accepts connections and
 * never answers (nor reads), and a port where connections are refused.
 */
public final class SilentStore implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  public SilentStore() throws IOException {
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    acceptor =
        Thread.ofPlatform()
            .daemon(true)
            .name("silent-store")
            .start(
                () -> {
                  while (!server.isClosed()) {
                    try {
                      held.add(server.accept()); // keep it open, say nothing, read nothing
                    } catch (IOException e) {
                      return;
                    }
                  }
                });
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  public int connections() {
    return held.size();
  }

  /** A port where nothing listens: bound, then closed, so a connection is refused at once. */
  public static URI refused() throws IOException {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : held) {
      s.close();
    }
    acceptor.interrupt();
  }
}
