package dev.vitrail.runtime.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.Qwen3VlVisionConfig;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.tensor.HostTensors;
import dev.vitrail.encoders.weights.SafetensorsFile;
import dev.vitrail.runtime.golden.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A new family end to end through the embedded API: the Qwen3-VL tiny checkpoint, chosen by its
 * {@code model_type}, on 1 and 3 CPU workers with balancing; each input's features equal the rows
 * of transformers 5.17's {@code image_embeds_with_deepstack} stored in the fixture.
 */
@ExtendWith(LogCapturingExtension.class)
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class Qwen3VlTowerWorkersTest {
  private static final Path MODEL = Fixtures.root().resolve("models/qwen3_vl-tiny");

  @Test
  void fixtureInputsThroughWorkersMatchTransformers() throws Exception {
    Qwen3VlVisionConfig config = (Qwen3VlVisionConfig) HfConfigs.read(MODEL);
    int unit = config.spatialMergeSize() * config.spatialMergeSize();
    List<PixelInput> inputs = new ArrayList<>();
    float[] expected;
    long[] expectedShape;
    try (SafetensorsFile io = SafetensorsFile.open(MODEL.resolve("io.safetensors"));
        PointerScope scope = new PointerScope()) {
      Tensor grids = io.view("grid_thw").to(torch.ScalarType.Long).contiguous();
      long[] g = new long[(int) grids.numel()];
      grids.data_ptr_long().get(g);
      float[] pixels = HostTensors.download(io.view("pixel_values"));
      int width = config.patchRowWidth();
      int at = 0;
      for (int i = 0; i < g.length / 3; i++) {
        int rows = (int) (g[3 * i] * g[3 * i + 1] * g[3 * i + 2]);
        float[] v = new float[rows * width];
        System.arraycopy(pixels, at, v, 0, v.length);
        at += v.length;
        inputs.add(
            new PixelInput(
                v,
                new int[] {rows, width},
                new int[] {(int) g[3 * i], (int) g[3 * i + 1], (int) g[3 * i + 2]}));
      }
      expected = HostTensors.download(io.view("image_embeds_with_deepstack"));
      expectedShape = io.header().entries().get("image_embeds_with_deepstack").shape();
    }
    int rowWidth = (int) expectedShape[1];
    double worst = 0;
    for (int workers : new int[] {1, 3}) {
      String hocon =
          "vitrail { workers { count = " + workers + ", batch-limit = 2 }, balance.policy = lpt }";
      try (Vitrail v =
          Vitrail.start(
              VitrailTestSettings.of(hocon),
              LibtorchTowers.of(MODEL, Collections.nCopies(workers, "cpu"), "f32", 1, 1))) {
        EncodeResult r =
            v.encode(
                    new EncodeRequest(
                        "qwen3",
                        inputs.stream().map(EncodeInput::of).toList(),
                        FeatureSpec.defaults(),
                        unit))
                .toCompletableFuture()
                .get(120, TimeUnit.SECONDS);
        int row = 0;
        for (int i = 0; i < inputs.size(); i++) {
          FeatureOutput got = r.features().get(i);
          int rows = inputs.get(i).shape()[0] / unit;
          assertArrayEquals(new int[] {rows, rowWidth}, got.shape(), "input " + i);
          for (int k = 0; k < got.values().length; k++) {
            worst = Math.max(worst, Math.abs(got.values()[k] - expected[row * rowWidth + k]));
          }
          row += rows;
        }
        assertEquals(expectedShape[0], row);
      }
    }
    System.out.println("Qwen3-VL tiny through 1 and 3 workers vs transformers: max abs " + worst);
    assertTrue(worst <= 1e-4, "max abs difference " + worst);
  }
}
