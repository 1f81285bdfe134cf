package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a forked server with requests in flight: the port stays open, {@code /health} is 503
 * draining, new requests (on new and kept-alive connections) are 503 shutting_down, the requests in
 * flight are answered 200, each phase is logged and the process exits 0.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GracefulShutdownTest {
  @TempDir Path dir;

  @Test
  void sigtermDrainsWithThePortOpenAndExitsZero() throws Exception {
    try (ForkedServer server =
        new ForkedServer(dir, ServerOverloadTest.MODEL, ServerOverloadTest.SMALL_HEAP)) {
      HttpCalls http = new HttpCalls(server.address());
      byte[] body =
          EmbeddingServerTest.body(
                  EmbeddingServerTest.dataUrl(TestImages.png(40, 30, 1), "image/png"))
              .toString()
              .getBytes(StandardCharsets.UTF_8);
      assertEquals(200, http.post("/v1/embeddings", body).statusCode());
      server.hold();
      List<CompletableFuture<HttpResponse<byte[]>>> inFlight = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        inFlight.add(CompletableFuture.supplyAsync(() -> http.post("/v1/embeddings", body)));
      }
      ServerOverloadTest.awaitMetric(
          http, "vitrail_http_items_in_flight", 3, Duration.ofSeconds(30));

      server.process().destroy(); // SIGTERM
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      HttpResponse<byte[]> health = http.get("/health");
      while (health.statusCode() != 503 && System.nanoTime() < deadline) {
        Thread.sleep(20);
        health = http.get("/health");
      }
      assertEquals(503, health.statusCode());
      assertEquals("draining", HttpCalls.json(health).get("status").asText());
      HttpResponse<byte[]> refused = http.post("/v1/embeddings", body);
      assertEquals(503, refused.statusCode());
      assertEquals("shutting_down", HttpCalls.json(refused).get("error").get("type").asText());
      HttpResponse<byte[]> fresh = new HttpCalls(server.address()).post("/v1/embeddings", body);
      assertEquals(503, fresh.statusCode());
      assertTrue(server.process().isAlive());

      server.release();
      for (CompletableFuture<HttpResponse<byte[]>> f : inFlight) {
        HttpResponse<byte[]> res = f.get(30, TimeUnit.SECONDS);
        assertEquals(200, res.statusCode(), new String(res.body(), StandardCharsets.UTF_8));
      }
      assertTrue(server.process().waitFor(30, TimeUnit.SECONDS), server.log());
      assertEquals(0, server.process().exitValue(), server.log());
      String log = server.log();
      for (String phase :
          List.of(
              "shutdown: SIGTERM received",
              "shutdown: draining",
              "shutdown: the requests in flight are answered",
              "shutdown: closing port",
              "shutdown: HTTP server closed",
              "shutdown: workers stopped",
              "shutdown: done, exit status 0")) {
        assertTrue(log.contains(phase), "missing '" + phase + "' in\n" + log);
      }
    }
  }
}
