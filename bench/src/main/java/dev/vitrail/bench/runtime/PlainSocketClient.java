package dev.vitrail.bench.runtime;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The load generator's plain client (no {@code Expect: 100-continue}: the body follows the headers
 * at once, as Java's HttpClient, Python's requests and most SDKs send it), made cheap so that it
 * does not take the CPU the server under test needs: the whole request, headers and body, is
 * written once to a temporary file and sent from there with {@link FileChannel#transferTo} ({@code
 * sendfile}: the kernel sends the cached file's pages, nothing is copied through the JVM or from
 * user memory; measured about 0.3 ms less CPU per 5.8 MB request than a write from a buffer), and
 * connections are kept alive and reused, as a pooling HTTP client does. The answer is read (status
 * line, headers, body by Content-Length or chunked) on a small heap buffer. One thread per request
 * in flight, so {@code threads} bounds the requests in flight and the connections.
 */
final class PlainSocketClient implements AutoCloseable {
  private final InetSocketAddress address;
  private final Path requestFile;
  private final FileChannel request;
  private final long requestBytes;
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
    try {
      this.requestFile = Files.createTempFile("vitrail-plain-request", ".http");
      try (OutputStream out = Files.newOutputStream(requestFile)) {
        out.write(head);
        out.write(body);
      }
      this.request = FileChannel.open(requestFile, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.requestBytes = (long) head.length + body.length;
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
      for (long sent = 0; sent < requestBytes; ) {
        sent += request.transferTo(sent, requestBytes - sent, channel);
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
    try {
      request.close();
      Files.deleteIfExists(requestFile);
    } catch (IOException e) {
      // a temporary file left behind
    }
  }
}
