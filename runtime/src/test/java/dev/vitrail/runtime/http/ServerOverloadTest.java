package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.runtime.golden.Fixtures;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overload in a small heap: a forked server with {@code -Xmx256m} and a held tower takes 96
 * requests of 4 MB each from 48 concurrent clients (twice the heap in bodies). Every request gets
 * exactly one answer, 200 or 503 busy (never 500, 413 or a reset), and the server serves normally
 * after.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ServerOverloadTest {
  static final Path MODEL = Fixtures.root().resolve("models/clip-tiny");
  static final List<String> SMALL_HEAP =
      List.of(
          "-Xmx256m",
          "-XX:+ExitOnOutOfMemoryError",
          "-Dvitrail.workers.count=1",
          "-Dvitrail.stream.preprocess-threads=1",
          "-Dvitrail.http.max-body-bytes=8m",
          "-Dvitrail.http.admission.max-body-bytes-in-flight=12m",
          "-Dvitrail.http.admission.max-items-in-flight=8",
          "-Dvitrail.http.admission.max-image-pixels=4000000",
          "-Dvitrail.http.admission.max-decode-pixels-in-flight=4000000");

  @TempDir Path dir;

  @Test
  void manyLargeBodiesGetOnlyOkOrBusyAndTheServerStaysUp() throws Exception {
    byte[] image = TestImages.png(1000, 1000, 3);
    byte[] body =
        EmbeddingServerTest.body(EmbeddingServerTest.dataUrl(image, "image/png"))
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    assertTrue(body.length > 3_500_000, "body of " + body.length + " bytes");
    try (ForkedServer server = new ForkedServer(dir, MODEL, SMALL_HEAP)) {
      HttpCalls http = new HttpCalls(server.address());
      server.hold();
      ExecutorService clients = Executors.newFixedThreadPool(48);
      List<Future<HttpResponse<byte[]>>> answers = new ArrayList<>();
      try {
        for (int i = 0; i < 96; i++) {
          answers.add(clients.submit(() -> http.post("/v1/embeddings", body)));
        }
        // While the tower is held only the admitted requests wait; the others come back busy.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (answers.stream().filter(Future::isDone).count() < 96 - 8
            && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        server.release();
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (Future<HttpResponse<byte[]>> f : answers) {
          HttpResponse<byte[]> res = f.get(60, TimeUnit.SECONDS); // an exception fails the test
          statuses.merge(res.statusCode(), 1, Integer::sum);
          if (res.statusCode() == 503) {
            JsonNode error = HttpCalls.json(res).get("error");
            assertEquals("busy", error.get("type").asText(), error.toString());
            assertTrue(res.headers().firstValue("Retry-After").isPresent());
          } else {
            assertEquals(200, res.statusCode(), new String(res.body(), StandardCharsets.UTF_8));
          }
        }
        assertEquals(96, statuses.values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(statuses.getOrDefault(200, 0) >= 1, statuses.toString());
        assertTrue(statuses.getOrDefault(503, 0) >= 1, statuses.toString());
      } finally {
        clients.shutdownNow();
      }
      HttpResponse<byte[]> after = http.post("/v1/embeddings", body);
      assertEquals(200, after.statusCode(), new String(after.body(), StandardCharsets.UTF_8));
      assertEquals(200, http.get("/health").statusCode());
      String metrics = new String(http.get("/metrics").body(), StandardCharsets.UTF_8);
      assertTrue(metrics.contains("vitrail_http_body_bytes_in_flight 0"), metrics);
      assertTrue(metrics.contains("vitrail_http_items_in_flight 0"), metrics);
      assertTrue(server.process().isAlive());
      assertFalse(server.log().contains("OutOfMemoryError"), server.log());
    }
  }

  /** Waits (bounded) until the forked server's metric {@code name} reaches {@code value}. */
  static void awaitMetric(HttpCalls http, String name, long value, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    String line = name + " " + value;
    while (System.nanoTime() < deadline) {
      String text = new String(http.get("/metrics").body(), StandardCharsets.UTF_8);
      if (text.lines().anyMatch(line::equals)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError(name + " did not reach " + value + " within " + limit);
  }
}
