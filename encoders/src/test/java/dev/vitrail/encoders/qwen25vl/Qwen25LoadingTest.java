package dev.vitrail.encoders.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.Qwen25VisionConfig;
import dev.vitrail.encoders.golden.Fixtures;
import dev.vitrail.encoders.golden.Parity;
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.weights.CheckpointException;
import dev.vitrail.encoders.weights.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading rewritten copies of the tiny checkpoint: both prefixes, the LLM skipped, strictness. */
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class Qwen25LoadingTest {
  private static final Path DIR = Fixtures.file("models/qwen2_5_vl-tiny");

  @TempDir Path tmp;

  private static Qwen25VisionConfig config() {
    return (Qwen25VisionConfig) HfConfigs.read(DIR);
  }

  private static int hidden() {
    return config().hiddenSize();
  }

  private static int depth() {
    return config().depth();
  }

  /** Copies the fixture with keys renamed (null drops a key) and extra F32 tensors appended. */
  private Path rewrite(UnaryOperator<String> rename, List<SafetensorsWriter.Tensor> extra)
      throws IOException {
    SingleThreads.apply();
    List<SafetensorsWriter.Tensor> out = new ArrayList<>();
    try (IoTensors model = IoTensors.open(DIR.resolve("model.safetensors"))) {
      for (String key : model.names()) {
        String name = rename.apply(key);
        if (name != null) {
          out.add(f32(name, model.floats(key), model.shape(key)));
        }
      }
    }
    out.addAll(extra);
    Files.copy(DIR.resolve("config.json"), tmp.resolve("config.json"));
    SafetensorsWriter.write(tmp.resolve("model.safetensors"), out);
    return tmp;
  }

  private static SafetensorsWriter.Tensor f32(String name, float[] values, long... shape) {
    return new SafetensorsWriter.Tensor(
        name,
        "F32",
        shape,
        b -> {
          for (float v : values) {
            b.putFloat(v);
          }
        });
  }

  @Test
  void acceptsModelVisualPrefixAndSkipsTheLanguageModel() throws IOException {
    SafetensorsWriter.Tensor llm = f32("model.language_model.norm.weight", new float[4], 4);
    Path dir = rewrite(k -> "model." + k, List.of(llm));
    try (Qwen25VisionTower tower = Qwen25VisionTower.load(dir, ComputeTarget.cpuFloat());
        IoTensors io = IoTensors.open(DIR.resolve("io.safetensors"))) {
      Qwen25Output out = tower.forward(io.floats("pixel_values"), io.grids(), false);
      Parity.assertClose("image_embeds", io.floats("image_embeds"), out.embeds());
      assertThrows(IllegalStateException.class, () -> out.hiddenState(0, true));
    }
  }

  @Test
  void missingTensorIsNamed() throws IOException {
    Path dir = rewrite(k -> k.equals("visual.blocks.2.attn.proj.bias") ? null : k, List.of());
    CheckpointException e =
        assertThrows(
            CheckpointException.class, () -> Qwen25VisionTower.load(dir, ComputeTarget.cpuFloat()));
    assertTrue(e.getMessage().contains("visual.blocks.2.attn.proj.bias"), e.getMessage());
  }

  @Test
  void wrongShapeIsNamed() throws IOException {
    int wrong = hidden() + 1;
    SafetensorsWriter.Tensor bad = f32("visual.merger.ln_q.weight", new float[wrong], wrong);
    Path dir = rewrite(k -> k.equals("visual.merger.ln_q.weight") ? null : k, List.of(bad));
    CheckpointException e =
        assertThrows(
            CheckpointException.class, () -> Qwen25VisionTower.load(dir, ComputeTarget.cpuFloat()));
    assertTrue(e.getMessage().contains("visual.merger.ln_q.weight"), e.getMessage());
  }

  @Test
  void unusedTensorUnderThePrefixIsAnError() throws IOException {
    String name = "visual.blocks." + depth() + ".norm1.weight";
    SafetensorsWriter.Tensor extra = f32(name, new float[hidden()], hidden());
    Path dir = rewrite(k -> k, List.of(extra));
    CheckpointException e =
        assertThrows(
            CheckpointException.class, () -> Qwen25VisionTower.load(dir, ComputeTarget.cpuFloat()));
    assertTrue(e.getMessage().contains(name), e.getMessage());
  }
}
