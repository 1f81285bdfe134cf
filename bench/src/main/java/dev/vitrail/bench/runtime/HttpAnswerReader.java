package dev.vitrail.bench.runtime;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Locale;

/**
 * Reads one HTTP/1.1 answer from a blocking channel for {@link PlainSocketClient}: skips any {@code
 * 1xx} interim answer, reads the status line and headers, then the body (by {@code Content-Length},
 * chunked, or to the end when neither is given) and drops it. The connection may be reused when the
 * answer was framed and did not say {@code Connection: close}.
 */
final class HttpAnswerReader {
  /** An answer's status and whether its connection can carry the next request. */
  record Answer(int status, boolean keepAlive) {}

  private final ReadableByteChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(16 * 1024).flip();

  HttpAnswerReader(ReadableByteChannel channel) {
    this.channel = channel;
  }

  Answer read() throws IOException {
    while (true) {
      String statusLine = line();
      if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
        throw new IOException("not an HTTP/1.1 answer: " + statusLine);
      }
      int status = Integer.parseInt(statusLine.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      boolean close = false;
      for (String h = line(); !h.isEmpty(); h = line()) {
        String lower = h.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Long.parseLong(lower.substring(15).trim());
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        } else if (lower.startsWith("connection:") && lower.contains("close")) {
          close = true;
        }
      }
      if (status >= 100 && status < 200) {
        continue; // an interim answer (100 Continue): the final one follows
      }
      if (chunked) {
        for (long size = chunkSize(); size > 0; size = chunkSize()) {
          skip(size);
          line();
        }
        while (!line().isEmpty()) {
          // trailers
        }
      } else if (length >= 0) {
        skip(length);
      } else {
        while (fill()) {
          buffer.position(buffer.limit());
        }
        return new Answer(status, false);
      }
      return new Answer(status, !close);
    }
  }

  private long chunkSize() throws IOException {
    String line = line();
    int semi = line.indexOf(';');
    return Long.parseLong((semi < 0 ? line : line.substring(0, semi)).trim(), 16);
  }

  private void skip(long n) throws IOException {
    long left = n;
    while (left > 0) {
      if (!buffer.hasRemaining() && !fill()) {
        throw new EOFException("answer body cut short");
      }
      int step = (int) Math.min(left, buffer.remaining());
      buffer.position(buffer.position() + step);
      left -= step;
    }
  }

  private String line() throws IOException {
    StringBuilder s = new StringBuilder();
    while (true) {
      if (!buffer.hasRemaining() && !fill()) {
        throw new EOFException("connection closed mid-answer");
      }
      char c = (char) (buffer.get() & 0xff);
      if (c == '\n') {
        return s.toString();
      }
      if (c != '\r') {
        s.append(c);
      }
    }
  }

  /** Reads more into the (empty) buffer; false at the end of the stream. */
  private boolean fill() throws IOException {
    buffer.clear();
    int n = channel.read(buffer); // blocking: at least one byte, or -1 at the end
    buffer.flip();
    return n > 0;
  }
}
