package dev.vitrail.runtime.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrail.actors.aggregate.PaddedGather;
import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.runtime.golden.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** N CPU workers on the real Qwen2.5-VL tiny tower, images of mixed grids, equal a direct call. */
@ExtendWith(LogCapturingExtension.class)
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class QwenTowerWorkersTest {
  private static final Path MODEL = Fixtures.root().resolve("models/qwen2_5_vl-tiny");

  @Test
  void mixedGridsOnOneToFourWorkersMatchADirectCallAndTheGatherLayout() throws Exception {
    JsonNode vision =
        new ObjectMapper().readTree(MODEL.resolve("config.json").toFile()).get("vision_config");
    int merge = vision.get("spatial_merge_size").asInt();
    int width =
        vision.get("in_channels").asInt()
            * vision.get("temporal_patch_size").asInt()
            * vision.get("patch_size").asInt()
            * vision.get("patch_size").asInt();
    // Grids in merged units (t, h / merge, w / merge): mixed sizes, one video of two temporal
    // patches.
    int[][] grids = {{1, 1, 1}, {1, 2, 3}, {2, 2, 2}, {1, 4, 2}, {1, 1, 5}, {1, 3, 3}, {1, 2, 1}};
    Random rnd = new Random(8);
    List<PixelInput> images = new ArrayList<>();
    for (int[] g : grids) {
      int rows = g[0] * g[1] * merge * g[2] * merge;
      float[] v = new float[rows * width];
      for (int k = 0; k < v.length; k++) {
        v[k] = (float) rnd.nextGaussian();
      }
      images.add(
          new PixelInput(v, new int[] {rows, width}, new int[] {g[0], g[1] * merge, g[2] * merge}));
    }
    LibtorchTowers.configureThreads(1, 1);
    List<FeatureOutput> direct = new ArrayList<>();
    try (FeatureEncoder tower = FeatureEncoders.open(MODEL, EncoderOptions.cpu())) {
      for (PixelInput img : images) {
        direct.add(tower.encode(List.of(img), FeatureSpec.defaults()).get(0));
      }
    }
    double worst = 0;
    for (int workers = 1; workers <= 4; workers++) {
      for (String policy : List.of("lpt", "cost", "pull")) {
        String hocon =
            "vitrail { workers { count = "
                + workers
                + ", batch-limit = 3 }, balance.policy = "
                + policy
                + " }";
        try (Vitrail v =
            Vitrail.start(
                VitrailTestSettings.of(hocon),
                LibtorchTowers.of(MODEL, Collections.nCopies(workers, "cpu"), "f32", 1, 1))) {
          EncodeResult r =
              v.encode(
                      new EncodeRequest(
                          "qwen",
                          images.stream().map(EncodeInput::of).toList(),
                          FeatureSpec.defaults(),
                          merge * merge))
                  .toCompletableFuture()
                  .get(120, TimeUnit.SECONDS);
          List<FeatureOutput> got = r.features();
          for (int i = 0; i < images.size(); i++) {
            assertArrayEquals(direct.get(i).shape(), got.get(i).shape());
            worst = Math.max(worst, maxAbs(direct.get(i).values(), got.get(i).values()));
          }
          assertGatherHoldsEachRank(r.gathered(), got);
        }
      }
    }
    System.out.println(
        "Qwen2.5-VL tiny, 1..4 workers x lpt/cost/pull vs direct: max abs difference " + worst);
    assertTrue(worst <= 1e-5, "max abs difference " + worst);
  }

  /** Each rank's rows of the padded gather are its images' features, in assignment order. */
  private static void assertGatherHoldsEachRank(PaddedGather g, List<FeatureOutput> outs) {
    assertNotNull(g, "the request asked for the padded gather layout");
    int rowSize = outs.get(0).shape()[1];
    assertEquals(g.layout().gatheredRows(), g.shape()[0]);
    for (int rank = 0; rank < g.layout().workers(); rank++) {
      int row = g.layout().gatheredRowRange(rank)[0];
      for (int image : g.layout().assignment().imagesOf(rank)) {
        float[] v = outs.get(image).values();
        float[] slice = new float[v.length];
        System.arraycopy(g.values(), row * rowSize, slice, 0, v.length);
        assertArrayEquals(v, slice);
        row += outs.get(image).shape()[0];
      }
      assertEquals(g.layout().gatheredRowRange(rank)[1], row);
    }
  }

  private static double maxAbs(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
