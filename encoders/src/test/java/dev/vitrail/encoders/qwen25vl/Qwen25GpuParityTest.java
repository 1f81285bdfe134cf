package dev.vitrail.encoders.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.encoders.golden.Fixtures;
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.tensor.CudaDevice;
import dev.vitrail.encoders.tensor.GpuTests;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/**
 * GPU only: the Qwen2.5-VL tiny tower on {@code cuda:0} in f32 and bf16 against its goldens ({@code
 * image_embeds}, {@code last_hidden_state}); skipped where no CUDA device is visible.
 */
class Qwen25GpuParityTest {
  private static final Path DIR = Fixtures.file("models/qwen2_5_vl-tiny");

  @Test
  void f32AndBf16MatchTheGoldens() {
    CudaDevice gpu = GpuTests.requireGpu();
    for (torch.ScalarType dtype : List.of(torch.ScalarType.Float, torch.ScalarType.BFloat16)) {
      String name = dtype == torch.ScalarType.Float ? "f32" : "bf16";
      try (Qwen25VisionTower tower =
              Qwen25VisionTower.load(DIR, new ComputeTarget(gpu.device(), dtype));
          IoTensors io = IoTensors.open(DIR.resolve("io.safetensors"))) {
        Qwen25Output out = tower.forward(io.floats("pixel_values"), io.grids(), false);
        double[] embeds = GpuTests.compare(io.floats("image_embeds"), out.embeds());
        GpuTests.report("qwen2_5_vl-tiny", name, "image_embeds", embeds);
        if (dtype == torch.ScalarType.Float) {
          assertTrue(embeds[0] <= 5e-3 && embeds[1] >= 0.9999, "f32 image_embeds");
        } else {
          assertTrue(embeds[1] >= 0.99, "bf16 image_embeds cosine " + embeds[1]);
        }
      }
    }
  }
}
