package dev.vitrail.encoders.tower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.config.hf.ClipVisionConfig;
import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.SiglipVisionConfig;
import dev.vitrail.config.hf.VisionConfig;
import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.golden.Fixtures;
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.tensor.CudaDevice;
import dev.vitrail.encoders.tensor.GpuTests;
import dev.vitrail.encoders.tensor.HostTensors;
import dev.vitrail.encoders.weights.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/**
 * GPU only: CLIP and SigLIP fixtures on {@code cuda:0} in f32 and bf16 against the goldens (every
 * stored output), and the worker path ({@link FeatureEncoders#open}: worker stream, pinned
 * asynchronous upload, one copy back) against the CPU. f32 is held to max-abs ≤ 5e-3 and cosine ≥
 * 0.9999 (libtorch lets cuDNN run the patch convolution in TF32, as PyTorch does by default); bf16
 * to cosine ≥ 0.99. The measured figures are printed ({@code GPU-PARITY} lines) for BENCHMARKS.md.
 */
class GpuTowerParityTest {
  private static final String[] MODELS = {"clip-tiny", "siglip-tiny"};

  @Test
  void f32AndBf16MatchTheGoldens() {
    CudaDevice gpu = GpuTests.requireGpu();
    int compared = 0;
    for (String model : MODELS) {
      Path dir = Fixtures.file("models/" + model);
      VisionConfig config = HfConfigs.read(dir);
      assertTrue(config instanceof ClipVisionConfig || config instanceof SiglipVisionConfig);
      for (torch.ScalarType dtype : List.of(torch.ScalarType.Float, torch.ScalarType.BFloat16)) {
        String name = dtype == torch.ScalarType.Float ? "f32" : "bf16";
        ComputeTarget target = new ComputeTarget(gpu.device(), dtype);
        try (Checkpoint weights = Checkpoint.open(dir.resolve("model.safetensors"));
            Checkpoint io = Checkpoint.open(dir.resolve("io.safetensors"));
            VisionTower tower = FeatureEncoders.loadTower(weights, config, target);
            PointerScope scope = new PointerScope()) {
          Tensor pixels = target.place(io.view("pixel_values").contiguous());
          try (TowerOutput out = tower.forward(pixels, true)) {
            for (String key : io.keys()) {
              Tensor got =
                  switch (key) {
                    case "last_hidden_state" -> out.lastHiddenState();
                    case "pooler_output" -> out.pooled();
                    default -> null;
                  };
              if (got == null) {
                continue;
              }
              double[] d =
                  GpuTests.compare(HostTensors.download(io.view(key)), HostTensors.download(got));
              GpuTests.report(model, name, key, d);
              if (dtype == torch.ScalarType.Float) {
                assertTrue(d[0] <= 5e-3 && d[1] >= 0.9999, model + " f32 " + key);
              } else {
                assertTrue(d[1] >= 0.99, model + " bf16 " + key + " cosine " + d[1]);
              }
              compared++;
            }
          }
        }
      }
    }
    assertTrue(compared >= 4, "compared " + compared);
  }

  @Test
  void theWorkerPathOnTheGpuMatchesTheCpu() {
    CudaDevice gpu = GpuTests.requireGpu();
    Path dir = Fixtures.file("models/clip-tiny");
    List<PixelInput> batch = new ArrayList<>();
    try (Checkpoint io = Checkpoint.open(dir.resolve("io.safetensors"));
        PointerScope scope = new PointerScope()) {
      Tensor pixels = io.view("pixel_values");
      long[] shape = pixels.shape();
      float[] all = HostTensors.download(pixels);
      int per = all.length / (int) shape[0];
      for (int i = 0; i < shape[0]; i++) {
        float[] v = java.util.Arrays.copyOfRange(all, i * per, (i + 1) * per);
        batch.add(
            new PixelInput(v, new int[] {(int) shape[1], (int) shape[2], (int) shape[3]}, null));
      }
    }
    assertTrue(Files.isRegularFile(dir.resolve("config.json")));
    List<FeatureOutput> cpu;
    List<FeatureOutput> cuda;
    try (FeatureEncoder t = FeatureEncoders.open(dir, EncoderOptions.cpu())) {
      cpu = t.encode(batch, FeatureSpec.defaults());
    }
    try (FeatureEncoder t =
        FeatureEncoders.open(dir, new EncoderOptions(gpu.device(), "f32", null))) {
      cuda = t.encode(batch, FeatureSpec.defaults());
      cuda = t.encode(batch, FeatureSpec.defaults()); // the second batch reuses the pinned buffer
    }
    assertEquals(cpu.size(), cuda.size());
    for (int i = 0; i < cpu.size(); i++) {
      double[] d = GpuTests.compare(cpu.get(i).values(), cuda.get(i).values());
      GpuTests.report("clip-tiny", "f32-worker-path", "features[" + i + "]", d);
      assertTrue(d[0] <= 5e-3 && d[1] >= 0.9999, "item " + i);
    }
  }
}
