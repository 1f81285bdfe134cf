package dev.vitrail.runtime.http.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.util.ByteString;

/**
 * Frames the bytes a client sends on one connection into HTTP/1.1 requests by their {@code
 * Content-Length}, and passes them on unchanged, except that the body of a request {@link BodyDrop}
 * picks is dropped as it arrives and its head passed on as a request without a body ({@link
 * RequestHead#withoutBody()}). A head is held until it is complete (at most {@link #MAX_HEAD}
 * bytes). Whatever does not frame plainly (chunked bodies, upgrades, folded or bare-LF lines, a
 * head over the limit, another HTTP version) switches the connection to passing everything through
 * for good, so Pekko's parser sees exactly what the client sent. Not thread-safe: one connection's
 * reading thread uses it.
 */
public final class RequestFraming {
  /** The largest head held while it is incomplete. */
  public static final int MAX_HEAD = 32 * 1024;

  private final BodyDrop policy;
  private byte[] head = new byte[0];
  private long bodyLeft;
  private boolean dropping;
  private boolean passThrough;
  private long dropped;

  public RequestFraming(BodyDrop policy) {
    this.policy = policy;
  }

  /** Whether the bytes expected next are dropped (read them without waiting for demand). */
  public boolean dropping() {
    return dropping && bodyLeft > 0;
  }

  /** Whether the bytes expected next belong to a body that is passed on (not dropped). */
  public boolean inBody() {
    return !passThrough && !dropping && bodyLeft > 0;
  }

  /** How many more bytes are dropped before the next request (0 when not dropping). */
  public long dropLeft() {
    return dropping ? bodyLeft : 0;
  }

  /** Bytes dropped so far. */
  public long dropped() {
    return dropped;
  }

  /** Consumes every remaining byte of {@code in}, passing on what is not dropped. */
  public void feed(ByteBuffer in, Consumer<ByteString> out) {
    while (in.hasRemaining()) {
      if (passThrough) {
        out.accept(ByteString.fromByteBuffer(in));
        in.position(in.limit());
      } else if (bodyLeft > 0) {
        int n = (int) Math.min(bodyLeft, in.remaining());
        if (dropping) {
          in.position(in.position() + n);
          dropped += n;
        } else {
          ByteBuffer part = in.slice();
          part.limit(n);
          out.accept(ByteString.fromByteBuffer(part));
          in.position(in.position() + n);
        }
        bodyLeft -= n;
        dropping = dropping && bodyLeft > 0;
      } else {
        readHead(in, out);
      }
    }
  }

  /** Passes on a head still held (the client stopped sending): Pekko answers what it can. */
  public void flush(Consumer<ByteString> out) {
    if (head.length > 0) {
      out.accept(ByteString.fromArray(head));
      head = new byte[0];
    }
  }

  private void readHead(ByteBuffer in, Consumer<ByteString> out) {
    int start = in.position();
    int end = headEnd(in);
    int taken = (end >= 0 ? end : in.limit()) - start;
    int held = head.length;
    byte[] joined = Arrays.copyOf(head, held + taken);
    in.get(joined, held, taken);
    head = joined;
    if (bareLf(head, held) || (end < 0 && head.length > MAX_HEAD)) {
      switchToPassThrough(out);
      return;
    }
    if (end < 0) {
      return; // wait for the rest of the head
    }
    byte[] complete = head;
    head = new byte[0];
    Optional<RequestHead> parsed = RequestHead.parse(complete);
    if (parsed.isEmpty() || complete.length > MAX_HEAD) {
      out.accept(ByteString.fromArray(complete));
      passThrough = true;
      return;
    }
    RequestHead request = parsed.get();
    bodyLeft = request.contentLength();
    dropping = bodyLeft > 0 && policy.drop(request);
    out.accept(ByteString.fromArray(dropping ? request.withoutBody() : complete));
  }

  private void switchToPassThrough(Consumer<ByteString> out) {
    passThrough = true;
    flush(out);
  }

  /**
   * The position just after the empty line ending a head, looking back into the bytes held, or -1
   * when {@code in} does not complete it.
   */
  private int headEnd(ByteBuffer in) {
    int held = head.length;
    for (int i = in.position(); i < in.limit(); i++) {
      if (in.get(i) == '\n'
          && byteBack(in, i, 1, held) == '\r'
          && byteBack(in, i, 2, held) == '\n'
          && byteBack(in, i, 3, held) == '\r') {
        return i + 1;
      }
    }
    return -1;
  }

  /** The byte {@code back} places before position {@code i} of {@code in}, continuing into head. */
  private int byteBack(ByteBuffer in, int i, int back, int held) {
    int j = i - back;
    if (j >= in.position()) {
      return in.get(j);
    }
    int k = held - (in.position() - j);
    return k >= 0 ? head[k] : -1;
  }

  /**
   * Whether {@code bytes} has a line feed not preceded by a carriage return at or after {@code
   * from} (the bytes before it were looked at when they arrived).
   */
  private static boolean bareLf(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r')) {
        return true;
      }
    }
    return false;
  }
}
