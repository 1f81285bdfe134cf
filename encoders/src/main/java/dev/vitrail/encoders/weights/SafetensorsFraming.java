package dev.vitrail.encoders.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * The framing of a {@code .safetensors} header: an 8-byte little-endian length N, then N bytes of
 * JSON. Finds those bytes in a buffer or at the start of a file, refusing a length that is not
 * positive, is over {@link #MAX_HEADER_BYTES} or runs past the bytes there are.
 */
final class SafetensorsFraming {
  /** Largest header accepted, as in the reference implementation (100 MB). */
  static final long MAX_HEADER_BYTES = 100_000_000L;

  private SafetensorsFraming() {}

  /** The header's JSON bytes at the buffer's position (the position is not moved). */
  static byte[] json(ByteBuffer headerAndMaybeMore) {
    ByteBuffer buf = headerAndMaybeMore.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    long available = buf.remaining();
    if (available < Long.BYTES) {
      throw new SafetensorsException(
          "truncated safetensors file: expected 8 header-length bytes, found " + available);
    }
    long n = checkHeaderLength(buf.getLong(), available - Long.BYTES);
    byte[] json = new byte[(int) n];
    buf.get(json);
    return json;
  }

  /** The header's JSON bytes read from the start of {@code channel}. */
  static byte[] json(FileChannel channel) throws IOException {
    long size = channel.size();
    ByteBuffer len = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    readFully(channel, len, 0, size);
    long n = checkHeaderLength(len.flip().getLong(), size - Long.BYTES);
    ByteBuffer json = ByteBuffer.allocate((int) n);
    readFully(channel, json, Long.BYTES, size);
    return json.array();
  }

  private static long checkHeaderLength(long n, long available) {
    if (n <= 0 || n > MAX_HEADER_BYTES) {
      throw new SafetensorsException(
          "invalid safetensors header length " + n + ": expected 1.." + MAX_HEADER_BYTES);
    }
    if (n > available) {
      throw new SafetensorsException(
          "truncated safetensors file: header length is "
              + n
              + " bytes, only "
              + available
              + " follow");
    }
    return n;
  }

  private static void readFully(FileChannel ch, ByteBuffer dst, long at, long size)
      throws IOException {
    long pos = at;
    while (dst.hasRemaining()) {
      int r = ch.read(dst, pos);
      if (r < 0) {
        throw new SafetensorsException(
            "truncated safetensors file: needed "
                + (at + dst.capacity())
                + " bytes, found "
                + size);
      }
      pos += r;
    }
  }
}
