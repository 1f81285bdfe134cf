package dev.vitrail.encoders.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vitrail.encoders.golden.Fixtures;
import dev.vitrail.encoders.golden.Parity;
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.tensor.HostTensors;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every tensor of the fixture's {@code io.safetensors} against the tower, data-driven by name. */
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class Qwen25TowerParityTest {
  private static final Path DIR = Fixtures.file("models/qwen2_5_vl-tiny");

  static Qwen25VisionTower open() {
    SingleThreads.apply();
    return Qwen25VisionTower.load(DIR, ComputeTarget.cpuFloat());
  }

  @Test
  void everyStoredTensorMatches() {
    try (Qwen25VisionTower tower = open();
        IoTensors io = IoTensors.open(DIR.resolve("io.safetensors"))) {
      Qwen25Output out = tower.forward(io.floats("pixel_values"), io.grids(), true);
      WindowLayout layout = out.layout();
      int checked = 0;
      for (String name : io.names()) {
        if (name.equals("pixel_values") || name.equals("grid_thw")) {
          continue;
        }
        if (io.dtype(name).startsWith("I")) {
          int[] ints =
              switch (name) {
                case "window_index" -> layout.windowIndex();
                case "cu_window_seqlens" -> layout.cuWindowSeqlens();
                case "cu_seqlens" -> layout.cuSeqlens();
                case "rotary_pos_ids" -> layout.positions();
                default -> throw new AssertionError("unexpected integer tensor " + name);
              };
          assertArrayEquals(io.longs(name), Arrays.stream(ints).asLongStream().toArray(), name);
        } else {
          Parity.assertClose(name, io.floats(name), floats(name, out, tower));
        }
        checked++;
      }
      assertTrue(checked > 0, "no tensors checked");
    }
  }

  @Test
  void explicitMathAttentionMatchesToo() {
    SingleThreads.apply();
    ComputeTarget math = new ComputeTarget("cpu", torch.ScalarType.Float, "MATH");
    try (Qwen25VisionTower tower = Qwen25VisionTower.load(DIR, math);
        IoTensors io = IoTensors.open(DIR.resolve("io.safetensors"))) {
      Qwen25Output out = tower.forward(io.floats("pixel_values"), io.grids(), true);
      Parity.assertClose("image_embeds", io.floats("image_embeds"), out.embeds());
      Parity.assertClose(
          "last_hidden_state", io.floats("last_hidden_state"), out.hiddenState(-1, false));
    }
  }

  @Test
  void bfloat16ComputeStaysClose() {
    SingleThreads.apply();
    ComputeTarget bf16 = new ComputeTarget("cpu", torch.ScalarType.BFloat16);
    try (Qwen25VisionTower tower = Qwen25VisionTower.load(DIR, bf16);
        IoTensors io = IoTensors.open(DIR.resolve("io.safetensors"))) {
      float[] embeds = tower.forward(io.floats("pixel_values"), io.grids(), false).embeds();
      double cosine = Parity.cosine(io.floats("image_embeds"), embeds);
      assertTrue(cosine > 0.999, "bf16 image_embeds cosine " + cosine);
    }
  }

  private static float[] floats(String name, Qwen25Output out, Qwen25VisionTower tower) {
    return switch (name) {
      case "image_embeds", "pooler_output" -> out.embeds();
      case "last_hidden_state" -> out.hiddenState(-1, false);
      case "last_hidden_state_window_order" -> out.hiddenState(-1, true);
      case "rotary_pos_emb" -> angles(out.layout(), tower.config().headDim());
      default -> {
        if (!name.startsWith("hidden_states.")) {
          fail("unexpected tensor in io file: " + name);
        }
        yield out.hiddenState(Integer.parseInt(name.substring("hidden_states.".length())), false);
      }
    };
  }

  private static float[] angles(WindowLayout layout, int headDim) {
    int[] pos = layout.positions();
    float[] f = new float[pos.length];
    for (int i = 0; i < pos.length; i++) {
      f[i] = pos[i];
    }
    try (PointerScope scope = new PointerScope()) {
      Tensor t = HostTensors.upload(f, pos.length / 2, 2);
      return HostTensors.download(Rotary.angles(t, headDim));
    }
  }
}
