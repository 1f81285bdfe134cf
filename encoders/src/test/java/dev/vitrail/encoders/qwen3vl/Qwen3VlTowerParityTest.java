package dev.vitrail.encoders.qwen3vl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.Qwen3VlVisionConfig;
import dev.vitrail.encoders.golden.Fixtures;
import dev.vitrail.encoders.golden.IoFile;
import dev.vitrail.encoders.golden.Parity;
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.tensor.NativeTorch;
import dev.vitrail.encoders.weights.Checkpoint;
import dev.vitrail.encoders.weights.WeightMap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every tensor of {@code qwen3_vl-tiny/io.safetensors} (transformers 5.17 {@code
 * Qwen3VLVisionModel}: two images and a t = 2 video in one call) against the tower.
 */
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class Qwen3VlTowerParityTest {
  static final String DIR = "models/qwen3_vl-tiny";

  @BeforeAll
  static void load() {
    NativeTorch.load();
    torch.set_num_threads(1);
  }

  static List<int[]> grids(IoFile io) {
    long[] g = io.longs("grid_thw");
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < g.length / 3; i++) {
      out.add(new int[] {(int) g[3 * i], (int) g[3 * i + 1], (int) g[3 * i + 2]});
    }
    return out;
  }

  static Qwen3VlVisionTower open(Checkpoint ck, Qwen3VlVisionConfig config) {
    return Qwen3VlVisionTower.create(
        config, WeightMap.bind(ck, ComputeTarget.cpuFloat(), Qwen3VlVisionTower.PREFIXES));
  }

  @Test
  void everyStoredTensorMatches() {
    Path dir = Fixtures.file(DIR);
    Qwen3VlVisionConfig config = (Qwen3VlVisionConfig) HfConfigs.read(dir);
    Set<String> checked = new HashSet<>();
    try (Checkpoint ck = Checkpoint.open(dir);
        Qwen3VlVisionTower tower = open(ck, config);
        IoFile io = IoFile.open(DIR + "/io.safetensors")) {
      Qwen3VlOutput out = tower.forward(io.floats("pixel_values"), grids(io), true);
      for (String name : io.names()) {
        float[] actual;
        if (name.equals("pixel_values") || name.equals("grid_thw")) {
          continue;
        } else if (name.equals("last_hidden_state")) {
          actual = out.lastHiddenState();
        } else if (name.equals("image_embeds")) {
          actual = out.embeds();
        } else if (name.equals("image_embeds_with_deepstack")) {
          actual = out.withDeepstack(config.outHiddenSize());
        } else if (name.startsWith("deepstack_features.")) {
          actual = out.deepstack().get(Integer.parseInt(name.substring(19)));
        } else {
          actual = out.hiddenStates().get(Integer.parseInt(name.substring(14)));
        }
        Parity.assertClose(name, io.floats(name), actual);
        checked.add(name);
      }
    }
    int deep = config.deepstackVisualIndexes().length;
    assertEquals(config.depth() + 1 + 3 + deep, checked.size(), checked.toString());
  }
}
