package dev.vitrail.encoders.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.Qwen25VisionConfig;
import dev.vitrail.encoders.tensor.NativeTorch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class Qwen25TowerParityTest {
  private static final Path DIR = Fixtures.root().resolve("models/qwen2_5_vl-tiny");
  private static final Device CPU = new Device(torch.DeviceType.CPU);

  static Qwen25VisionTower open() throws IOException {
    NativeTorch.load();
    Qwen25VisionConfig config = (Qwen25VisionConfig) HfConfigs.read(DIR);
    IoFile model = IoFile.read(DIR.resolve("model.safetensors"));
    WeightSource weights =
        (name, shape) -> {
          String key = "visual." + name;
          long[] stored = Arrays.stream(model.shape(key)).asLongStream().toArray();
          assertArrayEquals(shape, stored, key);
          return HostTensors.floats(model.floats(key), CPU, shape);
        };
    return Qwen25VisionTower.create(config, CPU, torch.ScalarType.Float, weights);
  }

  private static List<GridThw> grids(IoFile io) {
    long[] thw = io.longs("grid_thw");
    List<GridThw> out = new ArrayList<>();
    for (int i = 0; i < thw.length; i += 3) {
      out.add(new GridThw((int) thw[i], (int) thw[i + 1], (int) thw[i + 2]));
    }
    return out;
  }

  @Test
  void everyStoredTensorMatches() throws IOException {
    IoFile io = IoFile.read(DIR.resolve("io.safetensors"));
    try (Qwen25VisionTower tower = open()) {
      Qwen25Output out = tower.forward(io.floats("pixel_values"), grids(io), true);
      WindowLayout layout = out.layout();
      int checked = 0;
      for (String name : io.names()) {
        float[] actual;
        switch (name) {
          case "pixel_values", "grid_thw" -> {
            continue;
          }
          case "window_index", "cu_window_seqlens", "cu_seqlens", "rotary_pos_ids" -> {
            int[] ints =
                switch (name) {
                  case "window_index" -> layout.windowIndex();
                  case "cu_window_seqlens" -> layout.cuWindowSeqlens();
                  case "cu_seqlens" -> layout.cuSeqlens();
                  default -> layout.positions();
                };
            assertArrayEquals(io.longs(name), Arrays.stream(ints).asLongStream().toArray(), name);
            checked++;
            continue;
          }
          case "image_embeds", "pooler_output" -> actual = out.embeds();
          case "last_hidden_state" -> actual = out.hiddenState(-1, false);
          case "last_hidden_state_window_order" -> actual = out.hiddenState(-1, true);
          case "rotary_pos_emb" -> actual = angles(layout, tower.config().headDim());
          default -> {
            if (!name.startsWith("hidden_states.")) {
              fail("unexpected tensor in io file: " + name);
            }
            actual = out.hiddenState(Integer.parseInt(name.substring(14)), false);
          }
        }
        Parity.assertClose(name, io.floats(name), actual);
        checked++;
      }
      assertFalse(checked == 0, "no tensors checked");
    }
  }

  private static float[] angles(WindowLayout layout, int headDim) {
    int[] pos = layout.positions();
    float[] f = new float[pos.length];
    for (int i = 0; i < pos.length; i++) {
      f[i] = pos[i];
    }
    try (PointerScope scope = new PointerScope()) {
      Tensor t = HostTensors.floats(f, CPU, pos.length / 2, 2);
      return HostTensors.toHeap(Rotary.angles(t, headDim));
    }
  }
}
