package dev.vitrail.runtime.http.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.util.ByteString;

/**
 * One client connection as its {@link WireServer}'s selector thread sees it. The methods the stream
 * stages call ({@link #demand}, {@link #write}, ...) only post a task to that thread; every field
 * is touched by that thread alone.
 *
 * <p>Bounded: outside a body a read is made only when nothing read is still waiting for the stream
 * (the read buffer when the stream asked for more, {@link #LOOK_AHEAD} bytes when it did not);
 * within a body up to {@link #MAX_CHUNKS_AHEAD} reads may wait, while all connections together hold
 * less than {@link WireServer#READ_AHEAD}, so that a body streams in while the last chunk is
 * parsed; bytes of a dropped body are read and dropped whenever they arrive. One answer element is
 * written at a time.
 */
final class WireConnection {
  /**
   * Bytes read while the stream has not asked for more: enough to notice a client that closes its
   * connection while its request is worked on (the read returns end-of-stream), so that the work is
   * given up; a client that sends more waits until the stream asks for it.
   */
  static final int LOOK_AHEAD = 16 * 1024;

  /** Chunks of a body read ahead of the stream, at most (within {@link WireServer#READ_AHEAD}). */
  static final int MAX_CHUNKS_AHEAD = 4;

  /**
   * Bytes read at once from a dropped body: the kernel's copy into a buffer this size (it stays in
   * the core's cache) cost about half of a 256 KiB one per 5.8 MB body on the test machine.
   */
  static final int DROP_READ = 64 * 1024;

  private final WireServer server;
  private final SocketChannel channel;
  private final RequestFraming framing;
  private final ReadAhead waiting;
  private SelectionKey key;
  private AsyncCallback<ByteString> push;
  private AsyncCallback<Boolean> complete;
  private AsyncCallback<Boolean> written;
  private AsyncCallback<Boolean> cut;
  private boolean demand;
  private boolean eof;
  private boolean completed;
  private boolean inputCancelled;
  private ByteBuffer writing;
  private boolean outputDone;
  private boolean lingering;
  private boolean closed;

  WireConnection(WireServer server, SocketChannel channel, BodyDrop policy) {
    this.server = server;
    this.channel = channel;
    this.framing = new RequestFraming(policy);
    this.waiting = new ReadAhead(server.readAhead());
  }

  void registered(SelectionKey key) {
    this.key = key;
  }

  // ---- called by the stages (any thread): each posts a task to the selector thread ----

  void attachSource(AsyncCallback<ByteString> push, AsyncCallback<Boolean> complete) {
    server.post(
        () -> {
          this.push = push;
          this.complete = complete;
          if (closed && !completed) { // the client left before the stream started
            completed = true;
            complete.invoke(Boolean.TRUE);
          }
          update();
        });
  }

  void attachSink(AsyncCallback<Boolean> written, AsyncCallback<Boolean> cut) {
    server.post(
        () -> {
          this.written = written;
          this.cut = cut;
          if (closed) {
            cut.invoke(Boolean.TRUE);
          }
        });
  }

  void demand() {
    server.post(
        () -> {
          demand = true;
          topUp(server.readBuffer());
          deliver();
          update();
        });
  }

  void inputCancelled() {
    server.post(
        () -> {
          inputCancelled = true;
          waiting.clear();
          update();
        });
  }

  void write(ByteString bytes) {
    server.post(
        () -> {
          writing = bytes.asByteBuffer();
          flushWrites();
        });
  }

  void outputDone() {
    server.post(
        () -> {
          outputDone = true;
          if (writing == null) {
            finish();
          }
        });
  }

  void abort() {
    server.post(this::close);
  }

  // ---- selector thread ----

  /** Reads what the stream or a dropped body wants now. */
  void readable(ByteBuffer buffer) {
    try {
      while (!closed && wantsRead()) {
        boolean dropRead = framing.dropping();
        buffer.clear();
        if (dropRead) {
          buffer.limit((int) Math.min(DROP_READ, framing.dropLeft()));
        } else if (!demand && !framing.inBody()) {
          buffer.limit(LOOK_AHEAD);
        }
        int n = readOnce(buffer, waiting::add);
        if (n < 0 && lingering) {
          close();
          return;
        }
        if (n <= 0) {
          break;
        }
        if (lingering && !framing.dropping()) {
          close(); // the dropped body has arrived; what follows it is not read
          return;
        }
        deliver();
        if (!dropRead) {
          break; // one read per demand
        }
      }
      deliver();
      update();
    } catch (IOException e) {
      close();
    }
  }

  /**
   * The server is closing: no more requests are read, the request side ends as if the client had
   * stopped sending (Pekko then writes the answers it owes and ends the answers, which closes).
   */
  void endInput() {
    if (push == null) {
      close();
      return;
    }
    eof = true;
    deliver();
    update();
  }

  /**
   * Before a look-ahead read goes to the stream, reads what else has arrived into the same element,
   * so that a body streams in elements of up to the read buffer rather than of the look-ahead.
   */
  private void topUp(ByteBuffer buffer) {
    if (closed || eof || waiting.size() != 1 || framing.dropping() || push == null) {
      return;
    }
    int room = buffer.capacity() - waiting.peek().size();
    if (room < LOOK_AHEAD) {
      return;
    }
    try {
      buffer.clear().limit(room);
      ArrayDeque<ByteString> more = new ArrayDeque<>(2);
      readOnce(buffer, more::add);
      if (more.size() == 1) {
        waiting.add(waiting.poll().concat(more.poll()));
      } else {
        waiting.addAll(more);
      }
    } catch (IOException e) {
      close();
    }
  }

  /**
   * One read into {@code buffer} (its limit set by the caller), passed through the framing to
   * {@code to}; at end of stream a head still held is passed on (unless the connection is only
   * lingering). Returns the bytes read, or -1 at end of stream.
   */
  private int readOnce(ByteBuffer buffer, Consumer<ByteString> to) throws IOException {
    int n = channel.read(buffer);
    if (n < 0) {
      eof = true;
      if (!lingering) {
        framing.flush(to);
      }
    } else if (n > 0) {
      buffer.flip();
      framing.feed(buffer, to);
    }
    return n;
  }

  /** Writes what is pending; asks for more once it is all written. */
  void flushWrites() {
    if (closed || writing == null) {
      return;
    }
    try {
      channel.write(writing);
    } catch (IOException e) {
      close();
      return;
    }
    if (!writing.hasRemaining()) {
      writing = null;
      if (outputDone) {
        finish();
        return;
      }
      if (written != null) {
        written.invoke(Boolean.TRUE);
      }
    }
    update();
  }

  /**
   * Closes the socket: the request side of the stream ends and the answer side is cancelled (an
   * answer still streaming, or one the client left before it was written, stops there).
   */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    waiting.clear();
    if (key != null) {
      key.cancel();
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    if (complete != null && !completed) {
      completed = true;
      complete.invoke(Boolean.TRUE);
    }
    if (cut != null) {
      cut.invoke(Boolean.TRUE); // answers still coming stop (a stream's producer is cancelled)
    }
    server.closed(this);
  }

  /**
   * The answers are all written and the connection closes, but only once a body being dropped has
   * arrived: a client that sends its whole body before it reads would otherwise be reset and lose
   * its answer. It gets {@link WireServer#LINGER} to finish.
   */
  private void finish() {
    if (framing.dropping() && !eof) {
      lingering = true;
      waiting.clear();
      server.linger(this);
      update();
    } else {
      close();
    }
  }

  private boolean wantsRead() {
    if (lingering) {
      return !eof && framing.dropping();
    }
    if (eof || inputCancelled || push == null) {
      return false;
    }
    if (framing.dropping()) {
      return waiting.size() <= 1; // a substituted head may wait while its body is dropped
    }
    if (waiting.isEmpty()) {
      return true; // without demand, a look-ahead read notices a client that leaves
    }
    // Within a body, read on while the stream takes the last chunk (a shared, bounded budget).
    return framing.inBody() && waiting.size() < MAX_CHUNKS_AHEAD && server.readAhead().hasRoom();
  }

  private void deliver() {
    if (push == null || completed) {
      return;
    }
    if (demand && !waiting.isEmpty()) {
      demand = false;
      push.invoke(waiting.poll());
    }
    if (eof && waiting.isEmpty()) {
      completed = true;
      complete.invoke(Boolean.TRUE);
    }
  }

  private void update() {
    if (closed || key == null || !key.isValid()) {
      return;
    }
    int ops =
        (wantsRead() ? SelectionKey.OP_READ : 0) | (writing != null ? SelectionKey.OP_WRITE : 0);
    if (key.interestOps() != ops) {
      key.interestOps(ops);
    }
  }
}
