package dev.vitrail.runtime.cli.resident;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.FileLock;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resident JVM's side: listens on its socket and runs one job at a time with the job's standard
 * output and error sent to its client as frames. A job that arrives while another runs is answered
 * {@code BUSY}, one this JVM does not run {@code NOT_HERE}, and the client then runs the command in
 * a JVM of its own. {@link #serve} returns when the JVM has been idle for the idle time, or after a
 * stop request (once the running job is done); a client that leaves during its job (interrupted)
 * calls {@code clientLeft}, which in production ends this JVM as an interrupted command would end.
 */
public final class ResidentServer implements Closeable {
  /** Runs one command line with its output streams and returns its exit status. */
  public interface Job {
    int run(PrintWriter out, PrintWriter err, String[] args);
  }

  private static final Logger log = LoggerFactory.getLogger(ResidentServer.class);
  private static final Duration REQUEST_TIME = Duration.ofSeconds(5);
  private static final int MAX_WAITING = 8;

  private final Path socket;
  private final FileLock lock;
  private final ServerSocketChannel server;
  private final Selector selector;
  private final Duration idle;
  private final Predicate<List<String>> serves;
  private final Job job;
  private final Runnable clientLeft;
  private final AtomicBoolean running = new AtomicBoolean();
  private final Semaphore waiting = new Semaphore(MAX_WAITING);
  private final ScheduledExecutorService deadlines =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "vitrail-resident-deadlines");
            t.setDaemon(true);
            return t;
          });
  private final PrintStream ownErr = System.err;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean stopping;
  private volatile long idleSince = System.nanoTime();

  private ResidentServer(
      Path socket,
      FileLock lock,
      ServerSocketChannel server,
      Duration idle,
      Predicate<List<String>> serves,
      Job job,
      Runnable clientLeft)
      throws IOException {
    this.socket = socket;
    this.lock = lock;
    this.server = server;
    this.idle = idle;
    this.serves = serves;
    this.job = job;
    this.clientLeft = clientLeft;
    this.selector = Selector.open();
    server.configureBlocking(false);
    server.register(selector, SelectionKey.OP_ACCEPT);
  }

  /**
   * Listens on {@code socket}, or returns null when another resident JVM still holds its lock after
   * {@link ResidentLock#WAIT} (two clients started one each, and the other serves). A stale socket
   * file is replaced.
   *
   * @param serves whether this JVM runs a command line (else the client runs it itself)
   * @param clientLeft called when a client leaves during its job
   */
  public static ResidentServer open(
      Path socket, Duration idle, Predicate<List<String>> serves, Job job, Runnable clientLeft)
      throws IOException {
    FileLock lock = ResidentLock.acquire(socket);
    if (lock == null) {
      return null;
    }
    try {
      Files.deleteIfExists(socket);
      ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket), MAX_WAITING);
      return new ResidentServer(socket, lock, server, idle, serves, job, clientLeft);
    } catch (IOException | RuntimeException e) {
      lock.channel().close();
      throw e;
    }
  }

  /** Accepts clients until idle for the idle time or stopped; then stops listening. */
  public void serve() throws IOException {
    try {
      while (!closed.get() && !(stopping && !running.get())) {
        long timeoutMillis = 0; // while a job runs: until it ends (wakeup) or a client comes
        if (!running.get()) {
          long idleLeft = idle.toNanos() - (System.nanoTime() - idleSince);
          if (idleLeft <= 0) {
            log.debug("idle for {} s: the resident JVM ends", idle.toSeconds());
            return;
          }
          timeoutMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(idleLeft));
        }
        try {
          selector.select(timeoutMillis);
          selector.selectedKeys().clear();
          SocketChannel client;
          while ((client = server.accept()) != null) {
            take(client);
          }
        } catch (ClosedSelectorException | ClosedChannelException e) {
          if (!closed.get()) {
            throw e;
          }
        }
      }
    } finally {
      close();
    }
  }

  private void take(SocketChannel client) throws IOException {
    client.configureBlocking(true);
    if (!waiting.tryAcquire()) {
      client.close(); // too many unread requests: the client runs its command itself
      return;
    }
    Thread t = new Thread(() -> answer(client), "vitrail-resident-client");
    t.setDaemon(true);
    t.start();
  }

  private void answer(SocketChannel client) {
    ResidentProtocol.Request request;
    try (client) {
      ScheduledFuture<?> deadline;
      try {
        deadline =
            deadlines.schedule(
                () -> closeQuietly(client), REQUEST_TIME.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closing) {
        waiting.release();
        return; // this JVM is ending: the client finds no answer and runs the command itself
      }
      try {
        request = ResidentProtocol.readRequest(client);
      } finally {
        deadline.cancel(false);
        waiting.release();
      }
      if (request.kind() == ResidentProtocol.STOP) {
        stopping = true;
        selector.wakeup();
        ResidentProtocol.writeExit(client, 0);
      } else if (!serves.test(request.args())) {
        ResidentProtocol.writeText(client, ResidentProtocol.NOT_HERE, "not run by a resident JVM");
      } else if (stopping || !running.compareAndSet(false, true)) {
        ResidentProtocol.writeText(client, ResidentProtocol.BUSY, "the resident JVM is busy");
      } else {
        ResidentJob.Outcome done;
        try {
          done =
              new ResidentJob(client, clientLeft, ownErr)
                  .run(job, request.args().toArray(String[]::new));
          if (done.jvmInDoubt()) {
            stopping = true; // the next command starts a new JVM
          }
        } finally {
          idleSince = System.nanoTime();
          running.set(false);
          selector.wakeup();
        }
        // free before the client hears the status: its next command, sent at once, is not busy
        ResidentProtocol.writeExit(client, done.status());
      }
    } catch (IOException e) {
      log.debug("resident client: {}", e.toString());
    }
  }

  /**
   * Stops listening and removes the socket (and the log if empty); the lock goes last, so no new
   * JVM binds too early.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return; // once: a later call could remove the socket of a JVM that took over since
    }
    closeQuietly(server);
    closeQuietly(selector);
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      log.debug("cannot remove {}: {}", socket, e.toString());
    }
    deadlines.shutdownNow();
    try {
      Path logFile = ResidentPlace.logOf(socket);
      if (Files.isRegularFile(logFile) && Files.size(logFile) == 0) {
        Files.delete(logFile);
      }
    } catch (IOException e) {
      log.debug("cannot remove the log of {}: {}", socket, e.toString());
    }
    closeQuietly(lock.channel());
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // closing
    }
  }
}
