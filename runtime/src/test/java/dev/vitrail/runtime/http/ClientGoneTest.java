package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.actors.supervisor.SupervisorStats;
import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.preprocess.ImageProcessors;
import dev.vitrail.runtime.api.Vitrail;
import dev.vitrail.runtime.api.VitrailTestSettings;
import dev.vitrail.runtime.model.ServedModel;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A request whose client goes away (connection closed) or that times out is given up: its items
 * still queued are never encoded (a held tower counts what it encodes), and the capacity they held
 * comes back.
 */
class ClientGoneTest {
  private static final int ITEMS = 6;
  private final HeldTower tower =
      new HeldTower("clip", p -> new FeatureOutput(new float[] {1, 2}, new int[] {1, 2}));
  private ServedModel model;

  @BeforeEach
  void start() {
    // One worker, one item per call: items wait in its queue while the first call is held.
    Vitrail vitrail =
        Vitrail.start(
            VitrailTestSettings.of("vitrail.workers { count = 1, batch-limit = 1 }"),
            worker -> tower);
    var dir = EmbeddingServerTest.MODEL;
    model =
        new ServedModel("tiny", dir, HfConfigs.read(dir), ImageProcessors.forModel(dir), vitrail);
  }

  @AfterEach
  void stop() {
    tower.held.set(false);
    model.vitrail().close();
  }

  private static byte[] body() {
    Object[] images = new Object[ITEMS];
    for (int i = 0; i < ITEMS; i++) {
      images[i] = EmbeddingServerTest.dataUrl(TestImages.png(24, 24, i), "image/png");
    }
    return EmbeddingServerTest.body(images).toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aClientThatClosesItsConnectionHasItsQueuedItemsCancelled() throws Exception {
    // A 20 s request timeout only bounds the server's shutdown (it waits that long for the dead
    // connection); the cancel must come from the closed connection, well before it.
    EmbeddingServer server = EmbeddingServer.start(model, settings(Duration.ofSeconds(20)));
    try {
      byte[] body = body();
      long closed = postThenLeave(server, "/v1/embeddings", body, tower);
      await("all items cancelled", () -> stats().cancelledItems() == ITEMS);
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - closed);
      assertTrue(seconds < 12, "cancelled by the close, not the timeout: " + seconds + " s");
      assertGivenUp(server);
    } finally {
      server.close();
    }
  }

  @Test
  void aRequestThatTimesOutHasItsQueuedItemsCancelled() {
    EmbeddingServer server = EmbeddingServer.start(model, settings(Duration.ofSeconds(2)));
    try {
      var res = new HttpCalls(server.address()).post("/v1/embeddings", body());
      assertTrue(res.statusCode() >= 500, new String(res.body(), StandardCharsets.UTF_8));
      assertGivenUp(server);
    } finally {
      server.close();
    }
  }

  /** {@link EmbeddingServerTest#SETTINGS} with {@code vitrail.http.request-timeout} as given. */
  static HttpSettings settings(Duration requestTimeout) {
    return new HttpSettings(
        "127.0.0.1", 0, 300_000, 100_000, 8, Duration.ofSeconds(2), requestTimeout);
  }

  /** Every item counted cancelled; after the release only the calls already started ran. */
  private void assertGivenUp(EmbeddingServer server) {
    assertGivenUp(model, tower, ITEMS);
    // The capacity came back: a new request is served.
    byte[] one =
        EmbeddingServerTest.body(
                EmbeddingServerTest.dataUrl(TestImages.png(24, 24, 9), "image/png"))
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    assertEquals(200, new HttpCalls(server.address()).post("/v1/embeddings", one).statusCode());
  }

  /**
   * {@code items} counted cancelled; once {@code tower} is released, nothing is left in flight and
   * only the calls already handed to the tower ran (one running, at most one waiting behind it).
   */
  static void assertGivenUp(ServedModel model, HeldTower tower, int items) {
    await("all items cancelled", () -> stats(model).cancelledItems() == items);
    tower.held.set(false);
    await("nothing left in flight", () -> stats(model).inFlightItems() == 0);
    assertTrue(
        tower.encoded.get() <= 2, "items encoded after the client left: " + tower.encoded.get());
  }

  private SupervisorStats stats() {
    return stats(model);
  }

  /**
   * Posts {@code body} to {@code path} over a raw socket, waits until the tower has started its
   * first call, then closes the connection (the client goes away); the time it closed.
   */
  static long postThenLeave(EmbeddingServer server, String path, byte[] body, HeldTower tower)
      throws IOException {
    return postThenLeave(
        server,
        path,
        "application/json",
        body,
        "the first tower call started",
        () -> tower.calls.get() >= 1);
  }

  /**
   * Posts {@code body} as {@code type} to {@code path} over a raw socket, waits until {@code
   * started} holds, then closes the connection (the client goes away); the time it closed.
   */
  static long postThenLeave(
      EmbeddingServer server,
      String path,
      String type,
      byte[] body,
      String what,
      BooleanSupplier started)
      throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST "
                  + path
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                  + type
                  + "\r\nContent-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      await(what, started);
      return System.nanoTime();
    }
  }

  static SupervisorStats stats(ServedModel model) {
    return model.vitrail().stats().toCompletableFuture().join();
  }

  static void await(String what, BooleanSupplier check) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!check.getAsBoolean()) {
      assertTrue(System.nanoTime() < end, "timed out waiting for " + what);
      HeldTower.sleep(20);
    }
  }
}
