package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.preprocess.ImageProcessors;
import dev.vitrail.encoders.preprocess.Qwen2VlProcessor;
import dev.vitrail.runtime.api.Vitrail;
import dev.vitrail.runtime.api.VitrailTestSettings;
import dev.vitrail.runtime.golden.Fixtures;
import dev.vitrail.runtime.model.ServedModel;
import dev.vitrail.runtime.vlm.VlmFamily;
import dev.vitrail.runtime.vlm.VlmSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/vlm/encode} is given up like {@code /v1/embeddings} ({@link ClientGoneTest}):
 * when its client closes the connection or it times out, its items still queued are never encoded
 * and the capacity comes back.
 */
class VlmClientGoneTest {
  private static final int ITEMS = 6;
  private static final Path DIR = Fixtures.root().resolve("models/qwen2_5_vl-tiny");

  /** The tier's hidden size (the model's own), known once the tier is open. */
  private final AtomicInteger hidden = new AtomicInteger();

  private int merge;
  private HeldTower tower;
  private ServedModel model;

  @BeforeEach
  void start() {
    var processor = ImageProcessors.forModel(DIR);
    merge = ((Qwen2VlProcessor) processor).settings().mergeSize();
    // Features of the consumer's shape: one row per merged token, the tier's hidden size.
    tower = new HeldTower("qwen2_5_vl", this::features);
    Vitrail vitrail =
        Vitrail.start(
            VitrailTestSettings.of("vitrail.workers { count = 1, batch-limit = 1 }"), w -> tower);
    model = new ServedModel("qwen2_5_vl-tiny", DIR, HfConfigs.read(DIR), processor, vitrail);
    hidden.set(VlmFamily.of(model, VlmSettings.load()).hidden());
  }

  private FeatureOutput features(PixelInput p) {
    int[] g = p.gridThw();
    int tokens = g[0] * g[1] * g[2] / (merge * merge);
    return new FeatureOutput(new float[tokens * hidden.get()], new int[] {tokens, hidden.get()});
  }

  @AfterEach
  void stop() {
    tower.held.set(false);
    model.vitrail().close();
  }

  private static byte[] body(int n, int seed) {
    Object[] images = new Object[n];
    for (int i = 0; i < n; i++) {
      images[i] = EmbeddingServerTest.dataUrl(TestImages.png(24, 24, seed + i), "image/png");
    }
    ObjectNode body = EmbeddingServerTest.body(images);
    body.put("output", "inline");
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aClientThatClosesItsConnectionHasItsQueuedItemsCancelled() throws Exception {
    // The 20 s request timeout is not what cancels (see ClientGoneTest).
    EmbeddingServer server =
        EmbeddingServer.start(model, ClientGoneTest.settings(Duration.ofSeconds(20)));
    try {
      byte[] body = body(ITEMS, 0);
      long closed = ClientGoneTest.postThenLeave(server, "/v1/vlm/encode", body, tower);
      ClientGoneTest.await(
          "all items cancelled", () -> ClientGoneTest.stats(model).cancelledItems() == ITEMS);
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - closed);
      assertTrue(seconds < 12, "cancelled by the close, not the timeout: " + seconds + " s");
      assertGivenUp(server);
    } finally {
      server.close();
    }
  }

  @Test
  void aRequestThatTimesOutHasItsQueuedItemsCancelled() {
    EmbeddingServer server =
        EmbeddingServer.start(model, ClientGoneTest.settings(Duration.ofSeconds(2)));
    try {
      var res = new HttpCalls(server.address()).post("/v1/vlm/encode", body(ITEMS, 0));
      assertTrue(res.statusCode() >= 500, new String(res.body(), StandardCharsets.UTF_8));
      assertGivenUp(server);
    } finally {
      server.close();
    }
  }

  private void assertGivenUp(EmbeddingServer server) {
    ClientGoneTest.assertGivenUp(model, tower, ITEMS);
    // The capacity came back: a new request (other images, not cached) is served.
    var res = new HttpCalls(server.address()).post("/v1/vlm/encode", body(1, 100));
    assertEquals(200, res.statusCode(), new String(res.body(), StandardCharsets.UTF_8));
  }
}
