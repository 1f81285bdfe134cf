package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.runtime.api.VitrailTestSettings;
import dev.vitrail.runtime.golden.Fixtures;
import dev.vitrail.runtime.model.ServedModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * A plain client (its whole body sent before it reads) whose request arrives while the body budget
 * is full: its body is dropped below the HTTP parser, it reads 503 busy, and its kept-alive
 * connection serves its next request. A client that sends the drop mark itself is read as usual.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DroppedBodyTest {
  static final Path MODEL = Fixtures.root().resolve("models/clip-tiny");
  static final long BUDGET = 256 * 1024;
  private ServedModel model;
  private EmbeddingServer server;
  private HttpCalls http;

  @BeforeAll
  void start() {
    AdmissionLimits d = AdmissionLimits.defaults();
    HttpSettings settings =
        new HttpSettings(
            "127.0.0.1",
            0,
            BUDGET,
            BUDGET,
            8,
            Duration.ofSeconds(2),
            Duration.ofSeconds(30),
            new AdmissionLimits(
                BUDGET,
                d.maxItemsInFlight(),
                d.maxImagePixels(),
                d.maxDecodePixelsInFlight(),
                d.decodeQueue(),
                d.maxConnections()));
    model = ServedModel.open(MODEL, null, VitrailTestSettings.of(""));
    server = EmbeddingServer.start(model, settings);
    http = new HttpCalls(server.address());
  }

  @AfterAll
  void stop() {
    server.close();
    model.close();
  }

  static String head(int length, String extra) {
    return "POST /v1/embeddings HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
        + extra
        + "Content-Length: "
        + length
        + "\r\n\r\n";
  }

  /** Reads one answer (status line, headers, a Content-Length body) from {@code in}. */
  static String answer(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed after " + head);
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    String lower = text.toLowerCase(Locale.ROOT);
    int at = lower.indexOf("content-length:");
    int length = Integer.parseInt(text.substring(at + 15, text.indexOf("\r\n", at)).trim());
    return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  private String metrics() {
    return new String(http.get("/metrics").body(), StandardCharsets.UTF_8);
  }

  @Test
  void aRefusedBodyIsDroppedAndTheConnectionServesTheNextRequest() throws Exception {
    byte[] big = "x".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
    try (Socket holder = new Socket(server.address().getHostString(), server.address().getPort());
        Socket client = new Socket(server.address().getHostString(), server.address().getPort())) {
      // The holder's body is admitted (most of the budget reserved) and never finished.
      holder.getOutputStream().write(head(200_000, "").getBytes(StandardCharsets.US_ASCII));
      holder.getOutputStream().write(new byte[10]);
      holder.getOutputStream().flush();
      ServerOverloadTest.awaitMetric(
          http, "vitrail_http_body_bytes_in_flight", 200_704, Duration.ofSeconds(10));

      OutputStream out = client.getOutputStream();
      InputStream in = client.getInputStream();
      for (int i = 0; i < 3; i++) {
        out.write(head(big.length, "").getBytes(StandardCharsets.US_ASCII));
        out.write(big); // the whole body before reading, as a plain client does
        out.flush();
        String refused = answer(in);
        assertTrue(refused.startsWith("HTTP/1.1 503"), refused);
        assertTrue(refused.contains("\"type\":\"busy\""), refused);
        assertTrue(refused.toLowerCase(Locale.ROOT).contains("retry-after:"), refused);
        assertFalse(refused.toLowerCase(Locale.ROOT).contains("connection: close"), refused);
      }
      assertTrue(metrics().contains("vitrail_http_refused_bodies_dropped_total 3"), this::metrics);

      // A client that asks to close still reads its answer: the connection closes only once the
      // body it is dropping has arrived (closing earlier would reset the connection).
      try (Socket closing =
          new Socket(server.address().getHostString(), server.address().getPort())) {
        OutputStream o = closing.getOutputStream();
        o.write(head(big.length, "Connection: close\r\n").getBytes(StandardCharsets.US_ASCII));
        o.write(big, 0, 1000);
        o.flush();
        Thread.sleep(300); // the answer is written and the server has nothing more to say
        for (int at = 1000; at < big.length; at += 9900) { // the rest, over some 200 ms
          o.write(big, at, Math.min(9900, big.length - at));
          o.flush();
          Thread.sleep(20);
        }
        InputStream i = closing.getInputStream();
        String answered = answer(i);
        assertTrue(answered.startsWith("HTTP/1.1 503"), answered);
        assertEquals(-1, i.read());
      }

      // The same connection still serves: a small request the budget admits.
      out.write("GET /health HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertTrue(answer(in).startsWith("HTTP/1.1 200"));

      holder.close(); // its reservation is given back when the server sees it leave
      ServerOverloadTest.awaitMetric(
          http, "vitrail_http_body_bytes_in_flight", 0, Duration.ofSeconds(10));
      // With room again, a body carrying the drop mark itself is read and parsed as usual.
      out.write(
          head(big.length, "Vitrail-Dropped-Body: 5\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(big);
      out.flush();
      String parsed = answer(in);
      assertTrue(parsed.startsWith("HTTP/1.1 400"), parsed);
      assertTrue(metrics().contains("vitrail_http_refused_bodies_dropped_total 4"), this::metrics);
    }
  }
}
