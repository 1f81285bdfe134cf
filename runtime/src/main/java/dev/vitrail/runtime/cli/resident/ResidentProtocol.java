package dev.vitrail.runtime.cli.resident;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes between a client and the resident JVM. The client sends one request (a length, then its
 * fields); the resident JVM answers with frames: a type byte, a length, the payload. A job is
 * answered {@link #ACCEPTED} (or {@link #BUSY} / {@link #NOT_HERE}, after which the client runs the
 * command itself), then output frames in the order they were written, then {@link #EXIT} with the
 * status. The client sends nothing after its request and keeps its side open: its side closing
 * means it has gone (interrupted), and the job must not go on.
 */
final class ResidentProtocol {
  static final int MAGIC = 0x56545231; // "VTR1"
  static final byte JOB = 1;
  static final byte STOP = 2;

  static final byte ACCEPTED = 1;
  static final byte STDOUT = 2;
  static final byte STDERR = 3;
  static final byte EXIT = 4;
  static final byte BUSY = 5;
  static final byte NOT_HERE = 6;

  /** The largest request or frame payload read; a larger length is a protocol error. */
  static final int MAX_PAYLOAD = 1 << 20;

  private ResidentProtocol() {}

  /** A request: run {@code args} from {@code cwd} ({@link #JOB}), or stop ({@link #STOP}). */
  record Request(byte kind, String cwd, List<String> args) {
    Request {
      args = List.copyOf(args);
    }
  }

  /** One answer frame. */
  record Frame(byte type, byte[] payload) {
    /** The exit status of an {@link #EXIT} frame. */
    int status() {
      return ByteBuffer.wrap(payload).getInt();
    }
  }

  static void writeRequest(WritableByteChannel ch, Request r) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(MAGIC);
    out.writeByte(r.kind());
    writeString(out, r.cwd());
    out.writeInt(r.args().size());
    for (String a : r.args()) {
      writeString(out, a);
    }
    out.flush();
    ByteBuffer buf = ByteBuffer.allocate(4 + bytes.size());
    buf.putInt(bytes.size()).put(bytes.toByteArray()).flip();
    writeFully(ch, buf);
  }

  static Request readRequest(ReadableByteChannel ch) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(readBlock(ch)));
    if (in.readInt() != MAGIC) {
      throw new IOException("not a vitrail resident request");
    }
    byte kind = in.readByte();
    if (kind != JOB && kind != STOP) {
      throw new IOException("unknown request kind " + kind);
    }
    String cwd = readString(in);
    int n = in.readInt();
    if (n < 0 || n > 10_000) {
      throw new IOException("bad argument count " + n);
    }
    List<String> args = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      args.add(readString(in));
    }
    return new Request(kind, cwd, args);
  }

  static void writeFrame(WritableByteChannel ch, byte type, byte[] payload, int off, int len)
      throws IOException {
    ByteBuffer head = ByteBuffer.allocate(5).put(type).putInt(len).flip();
    writeFully(ch, head);
    writeFully(ch, ByteBuffer.wrap(payload, off, len));
  }

  static void writeText(WritableByteChannel ch, byte type, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    writeFrame(ch, type, b, 0, b.length);
  }

  static void writeExit(WritableByteChannel ch, int status) throws IOException {
    byte[] b = ByteBuffer.allocate(4).putInt(status).array();
    writeFrame(ch, EXIT, b, 0, 4);
  }

  /** The next frame, or null at the end of the stream between frames. */
  static Frame readFrame(ReadableByteChannel ch) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(5);
    if (!readFully(ch, head, true)) {
      return null;
    }
    head.flip();
    byte type = head.get();
    int len = head.getInt();
    if (len < 0 || len > MAX_PAYLOAD) {
      throw new IOException("bad frame length " + len);
    }
    ByteBuffer payload = ByteBuffer.allocate(len);
    readFully(ch, payload, false);
    return new Frame(type, payload.array());
  }

  private static byte[] readBlock(ReadableByteChannel ch) throws IOException {
    ByteBuffer len = ByteBuffer.allocate(4);
    readFully(ch, len, false);
    int n = len.flip().getInt();
    if (n < 0 || n > MAX_PAYLOAD) {
      throw new IOException("bad request length " + n);
    }
    ByteBuffer body = ByteBuffer.allocate(n);
    readFully(ch, body, false);
    return body.array();
  }

  /** Fills {@code buf}; false if the stream ended before its first byte and {@code eofOk}. */
  private static boolean readFully(ReadableByteChannel ch, ByteBuffer buf, boolean eofOk)
      throws IOException {
    while (buf.hasRemaining()) {
      if (ch.read(buf) < 0) {
        if (eofOk && buf.position() == 0) {
          return false;
        }
        throw new EOFException("the other side closed mid-message");
      }
    }
    return true;
  }

  static void writeFully(WritableByteChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_PAYLOAD) {
      throw new IOException("bad string length " + n);
    }
    return new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }
}
