package dev.vitrail.runtime.fetch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JDK HTTP or HTTPS server on 127.0.0.1:0 serving files with chosen content types, with or
 * without a declared length (chunked), {@code /redirect?to=URL}, {@code /hold/NAME} answered once
 * the test releases {@link #held}, and {@code /slow/NAME} sent {@value #SLOW_CHUNK} bytes every
 * {@value #SLOW_PAUSE_MS} ms, which tells {@link #slowEnd} how it ended. Counts requests.
 */
public final class FileOrigin implements AutoCloseable {
  private final HttpServer server;
  private final boolean https;
  private final ExecutorService threads = Executors.newFixedThreadPool(4, FileOrigin::daemon);
  private final Map<String, File> files = new ConcurrentHashMap<>();

  /** Requests that reached the origin. */
  public final AtomicInteger requests = new AtomicInteger();

  /** Answers to {@code /hold/NAME} wait for this (released by the test or on close). */
  public final CountDownLatch held = new CountDownLatch(1);

  /** The bytes {@code /slow/NAME} writes at a time. */
  public static final int SLOW_CHUNK = 2048;

  /** The pause between two chunks of {@code /slow/NAME}. */
  public static final int SLOW_PAUSE_MS = 100;

  /**
   * How the first {@code /slow/NAME} answer ended: true when all was sent, false when its client
   * hung up first.
   */
  public final CompletableFuture<Boolean> slowEnd = new CompletableFuture<>();

  private record File(String type, byte[] bytes, boolean declared) {}

  /** An http origin, or an https one presenting {@link TestTls}'s certificate. */
  public FileOrigin(boolean https) {
    this.https = https;
    try {
      InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
      if (https) {
        HttpsServer s = HttpsServer.create(at, 64);
        s.setHttpsConfigurator(new HttpsConfigurator(TestTls.serverContext()));
        server = s;
      } else {
        server = HttpServer.create(at, 64);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "file-origin");
    t.setDaemon(true);
    return t;
  }

  /** Serves {@code bytes} as {@code type} at {@code /name}, with a length or chunked. */
  public FileOrigin put(String name, String type, byte[] bytes, boolean declared) {
    files.put("/" + name, new File(type, bytes, declared));
    return this;
  }

  /** The URL of {@code path} with {@code host} as the host. */
  public String url(String host, String path) {
    return (https ? "https://" : "http://") + host + ":" + port() + path;
  }

  /** The port. */
  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    String path = ex.getRequestURI().getPath();
    try (ex) {
      if (path.equals("/redirect")) {
        String query = ex.getRequestURI().getRawQuery();
        ex.getResponseHeaders()
            .set("Location", URLDecoder.decode(query.substring(3), StandardCharsets.UTF_8));
        ex.sendResponseHeaders(302, -1);
        return;
      }
      boolean slow = path.startsWith("/slow/");
      if (slow) {
        path = path.substring(5);
      }
      if (path.startsWith("/hold/")) {
        held.await(30, TimeUnit.SECONDS);
        path = path.substring(5);
      }
      File f = files.get(path);
      if (f == null) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      ex.getResponseHeaders().set("Content-Type", f.type());
      ex.sendResponseHeaders(200, f.declared() ? f.bytes().length : 0);
      if (slow) {
        trickle(ex.getResponseBody(), f.bytes());
        return;
      }
      OutputStream out = ex.getResponseBody();
      for (int i = 0; i < f.bytes().length; i += 8192) {
        out.write(f.bytes(), i, Math.min(8192, f.bytes().length - i));
        out.flush();
      }
    } catch (IOException e) {
      // the client hung up (limits): expected in the refusal tests
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void trickle(OutputStream out, byte[] bytes) throws InterruptedException {
    try {
      for (int i = 0; i < bytes.length; i += SLOW_CHUNK) {
        out.write(bytes, i, Math.min(SLOW_CHUNK, bytes.length - i));
        out.flush();
        Thread.sleep(SLOW_PAUSE_MS);
      }
      slowEnd.complete(true);
    } catch (IOException e) {
      slowEnd.complete(false); // the client hung up
    }
  }

  @Override
  public void close() {
    held.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
