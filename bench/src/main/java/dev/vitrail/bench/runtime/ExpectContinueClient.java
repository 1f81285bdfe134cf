package dev.vitrail.bench.runtime;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A client that sends {@code Expect: 100-continue} as curl does for large bodies: the headers
 * first, then the body only after the server's {@code 100 Continue} (or, if neither that nor a
 * final answer comes within a second, anyway); a final answer instead of the 100 ends the request
 * without sending the body. One connection per request, blocking sockets on a fixed pool of
 * threads. (The JDK 17 HttpClient's {@code expectContinue} waits forever when the answer is not
 * 100, so it cannot be used here.)
 */
final class ExpectContinueClient implements AutoCloseable {
  private static final int EXPECT_WAIT_MILLIS = 1000;
  private static final int READ_TIMEOUT_MILLIS = 600_000;
  private final ExecutorService threads;

  ExpectContinueClient(int threads) {
    this.threads = Executors.newFixedThreadPool(threads);
  }

  /** POSTs {@code body} as JSON; completes with the final status code. */
  CompletableFuture<Integer> post(URI uri, byte[] body) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return exchange(uri, body);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        },
        threads);
  }

  private static int exchange(URI uri, byte[] body) throws IOException {
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      String head =
          String.format(
              Locale.ROOT,
              "POST %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n"
                  + "Content-Length: %d\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
              uri.getRawPath(),
              uri.getHost(),
              uri.getPort(),
              body.length);
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      socket.setSoTimeout(EXPECT_WAIT_MILLIS);
      int status;
      try {
        status = readHead(in);
      } catch (SocketTimeoutException e) {
        status = 100; // no answer in time: send the body, as curl does
      }
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      if (status != 100) {
        return status; // refused before the body: it is never sent
      }
      out.write(body);
      out.flush();
      int last = readHead(in);
      while (last == 100) {
        last = readHead(in);
      }
      in.readAllBytes(); // the answer's body, until the server closes (Connection: close)
      return last;
    }
  }

  /** Reads a status line and its headers; returns the status. */
  private static int readHead(InputStream in) throws IOException {
    String status = line(in);
    if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
      throw new IOException("not an HTTP answer: " + status);
    }
    while (!line(in).isEmpty()) {
      // headers: not needed here
    }
    return Integer.parseInt(status.substring(9, 12));
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder s = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed mid-answer");
      }
      if (c != '\r') {
        s.append((char) c);
      }
    }
    return s.toString();
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
