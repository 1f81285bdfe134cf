package dev.vitrail.bench.runtime;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal blocking HTTP/1.1 client over one keep-alive connection (one per bench client thread),
 * as a load generator such as wrk or a client on another machine costs the server's machine: it
 * writes the request head and body with two writes and reads a {@code Content-Length} answer, with
 * no thread hops, so the bench can tell the JDK client's own CPU from the server's. Not
 * thread-safe; answers other than 200 are exceptions.
 */
final class RawHttpClient implements AutoCloseable {
  /** Idle longer than this, the connection is replaced (the server closes idle connections). */
  private static final long IDLE_NANOS = 20_000_000_000L;

  private final InetSocketAddress address;
  private final String host;
  private Socket socket;
  private OutputStream out;
  private InputStream in;
  private long lastUse;

  RawHttpClient(InetSocketAddress address) throws IOException {
    this.address = address;
    host = address.getHostString() + ":" + address.getPort();
    connect();
  }

  private void connect() throws IOException {
    if (socket != null) {
      socket.close();
    }
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(address, 10_000);
    socket.setSoTimeout(600_000);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
  }

  /** POSTs {@code body} to {@code path}; the answer's body. */
  byte[] post(String path, byte[] body, String accept, String contentType) throws IOException {
    if (System.nanoTime() - lastUse > IDLE_NANOS) {
      connect();
    }
    byte[] answer = exchange(path, body, accept, contentType);
    lastUse = System.nanoTime();
    return answer;
  }

  private byte[] exchange(String path, byte[] body, String accept, String contentType)
      throws IOException {
    String head =
        "POST "
            + path
            + " HTTP/1.1\r\nHost: "
            + host
            + "\r\nAccept: "
            + accept
            + "\r\nContent-Type: "
            + contentType
            + "\r\nContent-Length: "
            + body.length
            + "\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
    String status = line();
    long length = -1;
    for (String h = line(); !h.isEmpty(); h = line()) {
      String lower = h.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring("content-length:".length()).strip());
      } else if (lower.startsWith("transfer-encoding:")) {
        throw new IOException("chunked answers are not read here: " + h);
      }
    }
    if (length < 0) {
      throw new IOException("answer without Content-Length: " + status);
    }
    byte[] answer = in.readNBytes((int) length);
    if (!status.contains(" 200 ")) {
      throw new IOException(status + ": " + new String(answer, StandardCharsets.UTF_8));
    }
    return answer;
  }

  private String line() throws IOException {
    ByteArrayOutputStream s = new ByteArrayOutputStream(64);
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed by the server");
      }
      if (b != '\r') {
        s.write(b);
      }
    }
    return s.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
