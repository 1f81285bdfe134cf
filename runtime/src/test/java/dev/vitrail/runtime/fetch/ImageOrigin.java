package dev.vitrail.runtime.fetch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A JDK HTTP server on 127.0.0.1:0 that serves test images and misbehaves on request: redirects
 * (chains, loops, no Location), 404, an endless body (bytes written are counted), a declared huge
 * length, a server slow to answer or stalling mid-body, HTML, garbage "PNG", and a held answer
 * released by the test.
 */
public final class ImageOrigin implements AutoCloseable {
  /** Bytes the endless body offers at most. */
  public static final long ENDLESS = 64L << 20;

  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(8, ImageOrigin::daemon);
  private final Map<String, byte[]> images = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

  /** Bytes of the endless body written before the client hung up. */
  public final AtomicLong endlessWritten = new AtomicLong();

  /** Requests for /hold that arrived. */
  public final AtomicInteger held = new AtomicInteger();

  private volatile CountDownLatch release = new CountDownLatch(0);
  private final long slowMillis;

  /** A server whose slow answers take {@code slowMillis}. */
  public ImageOrigin(long slowMillis) {
    this.slowMillis = slowMillis;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "image-origin");
    t.setDaemon(true);
    return t;
  }

  /** Serves {@code bytes} as image/png at /img/{@code name}; returns its URL. */
  public String image(String name, byte[] bytes) {
    images.put(name, bytes);
    return url("/img/" + name);
  }

  /** {@code http://127.0.0.1:PORT} + {@code path}. */
  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** The port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Requests so far for {@code path}'s first segment (e.g. "img", "redirect"). */
  public int hits(String first) {
    return hits.computeIfAbsent(first, k -> new AtomicInteger()).get();
  }

  /** Makes /hold wait until {@link #releaseHeld()}. */
  public void holdNext() {
    release = new CountDownLatch(1);
  }

  /** Lets every held answer go. */
  public void releaseHeld() {
    release.countDown();
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String query = ex.getRequestURI().getRawQuery();
    String first = path.split("/").length > 1 ? path.split("/")[1] : "";
    hits.computeIfAbsent(first, k -> new AtomicInteger()).incrementAndGet();
    try (ex) {
      switch (first) {
        case "img" -> send(ex, 200, "image/png", images.get(path.substring(5)));
        case "redirect" ->
            redirect(ex, URLDecoder.decode(query.substring(3), StandardCharsets.UTF_8));
        case "chain" -> {
          int n = Integer.parseInt(query.substring(2));
          redirect(
              ex, n == 0 ? "/img/" + images.keySet().iterator().next() : "/chain?n=" + (n - 1));
        }
        case "loop" -> redirect(ex, "/loop");
        case "noloc" -> send(ex, 302, "text/plain", new byte[0]);
        case "html" ->
            send(ex, 200, "text/html", "<html>no image</html>".getBytes(StandardCharsets.UTF_8));
        case "garbage" ->
            send(
                ex,
                200,
                "image/png",
                "certainly not a PNG file".repeat(4).getBytes(StandardCharsets.UTF_8));
        case "endless" -> endless(ex);
        case "declared" -> {
          ex.getResponseHeaders().set("Content-Type", "image/png");
          ex.sendResponseHeaders(200, 1L << 30);
        }
        case "slow" -> {
          sleep(slowMillis);
          send(ex, 200, "image/png", images.values().iterator().next());
        }
        case "stall" -> {
          ex.getResponseHeaders().set("Content-Type", "image/png");
          ex.sendResponseHeaders(200, 0);
          ex.getResponseBody().write(new byte[100]);
          ex.getResponseBody().flush();
          sleep(slowMillis);
        }
        case "hold" -> {
          held.incrementAndGet();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          send(ex, 200, "image/png", images.values().iterator().next());
        }
        default -> send(ex, 404, "text/plain", "no such thing".getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // the client hung up (limits, timeouts): expected in the refusal tests
    }
  }

  private void endless(HttpExchange ex) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "image/png");
    ex.sendResponseHeaders(200, 0); // chunked, no length
    OutputStream out = ex.getResponseBody();
    byte[] chunk = new byte[16 << 10];
    for (long sent = 0; sent < ENDLESS; sent += chunk.length) {
      out.write(chunk);
      out.flush();
      endlessWritten.addAndGet(chunk.length);
    }
  }

  private static void redirect(HttpExchange ex, String to) throws IOException {
    ex.getResponseHeaders().set("Location", to);
    ex.sendResponseHeaders(302, -1);
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      ex.getResponseBody().write(body);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    releaseHeld();
    server.stop(0);
    threads.shutdownNow();
  }
}
