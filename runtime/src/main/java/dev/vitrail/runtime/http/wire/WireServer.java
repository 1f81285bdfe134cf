package dev.vitrail.runtime.http.wire;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening socket whose connections are read and written by one selector thread and served by a
 * byte flow per connection (Pekko HTTP's server layer over the routes). At most {@code
 * maxConnections} are open: further clients wait in the kernel's accept queue until one closes.
 * Each connection's flow is materialized on {@code setup} (not on the selector thread).
 */
public final class WireServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WireServer.class);

  /** Bytes read at once: one buffer, shared by every connection (the selector thread reads). */
  static final int READ_BUFFER = 256 * 1024;

  /** Bytes of bodies all connections together may read ahead of their streams. */
  static final long READ_AHEAD = 32L * 1024 * 1024;

  /** How long a closing connection waits for the rest of a body it drops (then it is reset). */
  static final Duration LINGER = Duration.ofSeconds(30);

  private final ServerSocketChannel listener;
  private final Selector selector;
  private final int maxConnections;
  private final BodyDrop policy;
  private final Function<InetSocketAddress, Flow<ByteString, ByteString, NotUsed>> flows;
  private final Materializer materializer;
  private final Executor setup;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final Set<WireConnection> open = new HashSet<>();
  private final Map<WireConnection, Long> lingering = new HashMap<>();
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BUFFER);
  private final ReadAhead.Budget readAhead = new ReadAhead.Budget(READ_AHEAD);
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private final InetSocketAddress address;
  private final Thread thread;
  private boolean terminating;
  private long terminateBy;
  private SelectionKey acceptKey;

  private WireServer(
      ServerSocketChannel listener,
      Selector selector,
      int maxConnections,
      BodyDrop policy,
      Function<InetSocketAddress, Flow<ByteString, ByteString, NotUsed>> flows,
      Materializer materializer,
      Executor setup)
      throws IOException {
    this.listener = listener;
    this.selector = selector;
    this.maxConnections = maxConnections;
    this.policy = policy;
    this.flows = flows;
    this.materializer = materializer;
    this.setup = setup;
    this.address = (InetSocketAddress) listener.getLocalAddress();
    this.thread = new Thread(this::loop, "vitrail-http-wire");
    this.thread.setDaemon(true);
  }

  /**
   * Listens on {@code host:port} (0: any free port) and serves each connection with the flow {@code
   * flows} makes for its remote address.
   *
   * @throws IOException when the address cannot be bound
   */
  public static WireServer bind(
      String host,
      int port,
      int maxConnections,
      BodyDrop policy,
      Function<InetSocketAddress, Flow<ByteString, ByteString, NotUsed>> flows,
      Materializer materializer,
      Executor setup)
      throws IOException {
    ServerSocketChannel listener = ServerSocketChannel.open();
    Selector selector = null;
    try {
      listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      listener.bind(new InetSocketAddress(host, port), 1024);
      listener.configureBlocking(false);
      selector = Selector.open();
      WireServer server =
          new WireServer(listener, selector, maxConnections, policy, flows, materializer, setup);
      server.acceptKey = listener.register(selector, SelectionKey.OP_ACCEPT);
      server.thread.start();
      return server;
    } catch (IOException | RuntimeException e) {
      listener.close();
      if (selector != null) {
        selector.close();
      }
      throw e;
    }
  }

  /** The address listened on (the real port when 0 was asked). */
  public InetSocketAddress localAddress() {
    return address;
  }

  /**
   * Stops listening and ends every connection: each one's request side ends as if its client had
   * stopped sending, so that Pekko writes the answers it still owes and then closes it; whatever is
   * still open after {@code grace} is closed. Call it once the requests in flight are answered.
   * Completes when the selector thread has ended.
   */
  public CompletableFuture<Void> terminate(Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    post(() -> beginTermination(deadline));
    return stopped;
  }

  @Override
  public void close() {
    terminate(Duration.ZERO).join();
  }

  /** Runs {@code task} on the selector thread; false once the server has stopped. */
  boolean post(Runnable task) {
    if (stopped.isDone()) {
      return false;
    }
    tasks.add(task);
    selector.wakeup();
    return true;
  }

  /** The read-ahead budget of all connections (selector thread only). */
  ReadAhead.Budget readAhead() {
    return readAhead;
  }

  /** The selector thread's read buffer (only that thread uses it). */
  ByteBuffer readBuffer() {
    return buffer;
  }

  /** {@code connection} waits for the rest of a dropped body before it closes. */
  void linger(WireConnection connection) {
    lingering.put(connection, System.nanoTime() + LINGER.toNanos());
  }

  /** {@code connection} closed: one more client may be accepted. */
  void closed(WireConnection connection) {
    lingering.remove(connection);
    if (open.remove(connection) && acceptKey.isValid()) {
      acceptKey.interestOps(SelectionKey.OP_ACCEPT);
    }
  }

  private void loop() {
    try {
      while (!terminated()) {
        selector.select(terminating ? 50 : lingering.isEmpty() ? 0 : 1000);
        runTasks();
        closeLingeringPastDeadline();
        for (SelectionKey key : selector.selectedKeys()) {
          if (!key.isValid()) {
            continue;
          }
          if (key.isAcceptable()) {
            accept();
          } else {
            ready((WireConnection) key.attachment(), key);
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException | RuntimeException e) {
      LOG.error("HTTP socket layer failed; closing the port", e);
    } finally {
      shutDown();
    }
  }

  private void closeLingeringPastDeadline() {
    if (lingering.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    for (var e : List.copyOf(lingering.entrySet())) {
      if (now - e.getValue() > 0) {
        e.getKey().close();
      }
    }
  }

  private void beginTermination(long deadline) {
    if (terminating) {
      return;
    }
    terminating = true;
    terminateBy = deadline;
    acceptKey.cancel();
    try {
      listener.close();
    } catch (IOException e) {
      LOG.debug("closing the listening socket: {}", e.toString());
    }
    for (WireConnection c : List.copyOf(open)) {
      c.endInput();
    }
  }

  private boolean terminated() {
    return terminating && (open.isEmpty() || System.nanoTime() - terminateBy > 0);
  }

  /** Serves one connection's ready key; a failure closes that connection, not the server. */
  private void ready(WireConnection c, SelectionKey key) {
    try {
      if (key.isValid() && key.isWritable()) {
        c.flushWrites();
      }
      if (key.isValid() && key.isReadable()) {
        c.readable(buffer);
      }
    } catch (RuntimeException e) {
      LOG.warn("closing a connection after an unexpected failure", e);
      c.close();
    }
  }

  private void runTasks() {
    Runnable task;
    while ((task = tasks.poll()) != null) {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.warn("a connection task failed", e);
      }
    }
  }

  private void accept() throws IOException {
    while (open.size() < maxConnections) {
      SocketChannel channel = listener.accept();
      if (channel == null) {
        return;
      }
      try {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        WireConnection c = new WireConnection(this, channel, policy);
        c.registered(channel.register(selector, 0, c));
        open.add(c);
        InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
        try {
          setup.execute(() -> serve(c, remote));
        } catch (RuntimeException e) { // the actor system is stopping
          c.close();
        }
      } catch (IOException e) {
        channel.close();
      }
    }
    acceptKey.interestOps(0); // at the limit: the next clients wait in the accept queue
  }

  private void serve(WireConnection c, InetSocketAddress remote) {
    try {
      Source.fromGraph(new SocketSource(c))
          .via(flows.apply(remote))
          .to(Sink.fromGraph(new SocketSink(c)))
          .run(materializer);
    } catch (RuntimeException e) {
      LOG.warn("cannot serve a connection from {}: {}", remote, e.toString());
      c.abort();
    }
  }

  private void shutDown() {
    runTasks();
    for (WireConnection c : List.copyOf(open)) {
      c.close();
    }
    try {
      listener.close();
      selector.close();
    } catch (IOException e) {
      LOG.debug("closing the listening socket: {}", e.toString());
    }
    stopped.complete(null);
  }
}
