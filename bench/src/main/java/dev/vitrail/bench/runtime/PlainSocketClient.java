package dev.vitrail.bench.runtime;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The load generator's plain client (no {@code Expect: 100-continue}: the body follows the headers
 * at once, as Java's HttpClient, Python's requests and most SDKs send it), made cheap so that it
 * does not take the CPU the server under test needs: the whole request, headers and body, is built
 * once in a direct buffer and written with one blocking {@link SocketChannel#write} per request (no
 * copy in the JVM; the kernel copies it once), and connections are kept alive and reused, as a
 * pooling HTTP client does. The answer is read (status line, headers, body by Content-Length or
 * chunked) on a small heap buffer. One thread per request in flight, so {@code threads} bounds the
 * requests in flight and the connections.
 */
final class PlainSocketClient implements AutoCloseable {
  private final InetSocketAddress address;
  private final ByteBuffer request;
  private final ExecutorService threads;
  private final ConcurrentLinkedDeque<SocketChannel> idle = new ConcurrentLinkedDeque<>();

  PlainSocketClient(URI uri, byte[] body, int threads) {
    this.address = new InetSocketAddress(uri.getHost(), uri.getPort());
    byte[] head =
        String.format(
                Locale.ROOT,
                "POST %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n"
                    + "Content-Length: %d\r\n\r\n",
                uri.getRawPath(),
                uri.getHost(),
                uri.getPort(),
                body.length)
            .getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer whole = ByteBuffer.allocateDirect(head.length + body.length);
    whole.put(head).put(body).flip();
    this.request = whole.asReadOnlyBuffer();
    this.threads = Executors.newFixedThreadPool(threads);
  }

  /** POSTs the body; completes with the answer's status (exceptionally on a transport error). */
  CompletableFuture<Integer> post() {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return exchange();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        threads);
  }

  /** One request on an idle kept-alive connection, or a new one; blocking. */
  int exchange() throws IOException {
    SocketChannel channel = idle.pollFirst();
    if (channel == null) {
      channel = SocketChannel.open(address);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    }
    try {
      ByteBuffer out = request.duplicate();
      while (out.hasRemaining()) {
        channel.write(out);
      }
      HttpAnswerReader.Answer answer = new HttpAnswerReader(channel).read();
      if (answer.keepAlive()) {
        idle.offerFirst(channel);
      } else {
        channel.close();
      }
      return answer.status();
    } catch (EOFException e) {
      channel.close();
      throw new IOException("connection closed mid-answer", e);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Closes the idle connections (the next requests open new ones). */
  void closeIdle() {
    for (SocketChannel c = idle.pollFirst(); c != null; c = idle.pollFirst()) {
      try {
        c.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
    closeIdle();
  }
}
