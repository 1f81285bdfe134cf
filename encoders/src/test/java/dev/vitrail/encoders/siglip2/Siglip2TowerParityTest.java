package dev.vitrail.encoders.siglip2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.Siglip2VisionConfig;
import dev.vitrail.encoders.golden.Fixtures;
import dev.vitrail.encoders.golden.IoFile;
import dev.vitrail.encoders.golden.Parity;
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.tensor.NativeTorch;
import dev.vitrail.encoders.weights.Checkpoint;
import dev.vitrail.encoders.weights.WeightMap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every tensor of {@code siglip2-tiny/io.safetensors} (transformers 5.17 {@code
 * Siglip2VisionModel}, naflex: a padded batch with an attention mask) against the tower, real rows
 * only.
 */
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class Siglip2TowerParityTest {
  static final String DIR = "models/siglip2-tiny";

  @BeforeAll
  static void load() {
    NativeTorch.load();
    torch.set_num_threads(1);
  }

  /** Each image's real patch rows out of the padded batch, and its (h, w). */
  static List<float[]> images(IoFile io, List<int[]> shapes) {
    long[] shape = io.shape("pixel_values");
    int max = (int) shape[1];
    int width = (int) shape[2];
    float[] all = io.floats("pixel_values");
    long[] hw = io.longs("spatial_shapes");
    long[] mask = io.longs("pixel_attention_mask");
    List<float[]> out = new ArrayList<>();
    for (int b = 0; b < shape[0]; b++) {
      int h = (int) hw[2 * b];
      int w = (int) hw[2 * b + 1];
      long real = Arrays.stream(mask, b * max, (b + 1) * max).sum();
      assertEquals(h * w, real, "mask of image " + b);
      shapes.add(new int[] {h, w});
      int from = b * max * width;
      out.add(Arrays.copyOfRange(all, from, from + h * w * width));
    }
    return out;
  }

  /** Rows {@code [0, n)} of image b of a stored {@code [B, max, D]} tensor. */
  static float[] realRows(IoFile io, String name, int b, int n) {
    long[] s = io.shape(name);
    int row = (int) s[2];
    int from = (int) (b * s[1] * row);
    return Arrays.copyOfRange(io.floats(name), from, from + n * row);
  }

  @Test
  void everyStoredTensorMatchesOnRealRows() {
    Path dir = Fixtures.file(DIR);
    Siglip2VisionConfig config = (Siglip2VisionConfig) HfConfigs.read(dir);
    Set<String> checked = new HashSet<>();
    try (Checkpoint ck = Checkpoint.open(dir);
        Siglip2VisionTower tower =
            Siglip2VisionTower.create(
                config, WeightMap.bind(ck, ComputeTarget.cpuFloat(), Siglip2VisionTower.PREFIXES));
        IoFile io = IoFile.open(DIR + "/io.safetensors")) {
      List<int[]> shapes = new ArrayList<>();
      List<float[]> images = images(io, shapes);
      Siglip2Output out = tower.forward(images, shapes, true, true);
      for (String name : io.names()) {
        if (List.of("pixel_values", "pixel_attention_mask", "spatial_shapes").contains(name)) {
          continue;
        }
        for (int b = 0; b < images.size(); b++) {
          int n = out.tokens()[b];
          String what = name + "[" + b + "]";
          if (name.equals("pooler_output")) {
            int d = config.hiddenSize();
            Parity.assertClose(
                what, Arrays.copyOfRange(io.floats(name), b * d, (b + 1) * d), out.pooled().get(b));
          } else if (name.equals("last_hidden_state")) {
            Parity.assertClose(what, realRows(io, name, b, n), out.lastHiddenState().get(b));
          } else {
            int layer = Integer.parseInt(name.substring("hidden_states.".length()));
            Parity.assertClose(
                what, realRows(io, name, b, n), out.hiddenStates().get(layer).get(b));
          }
        }
        checked.add(name);
      }
    }
    assertEquals(config.numHiddenLayers() + 3, checked.size(), checked.toString());
  }
}
