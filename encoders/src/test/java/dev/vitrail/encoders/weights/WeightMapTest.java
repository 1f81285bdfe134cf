package dev.vitrail.encoders.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.encoders.tensor.ComputeTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightMapTest {
  @TempDir Path tmp;

  @Test
  void readsShardedCheckpointsWithTheFirstMatchingPrefix() throws IOException {
    SafetensorsWriter.write(
        tmp.resolve("a.safetensors"),
        List.of(
            TestTensors.f32("model.visual.w", new float[] {1, 2, 3, 4}, 2, 2),
            TestTensors.f32("model.language_model.x", new float[] {9}, 1)));
    SafetensorsWriter.write(
        tmp.resolve("b.safetensors"),
        List.of(
            TestTensors.bf16("model.visual.b", new float[] {0.5f, -2f}, 2),
            TestTensors.f32("model.visual.position_ids", new float[] {0, 1}, 2)));
    Files.writeString(
        tmp.resolve(Checkpoint.INDEX),
        "{\"metadata\":{},\"weight_map\":{"
            + "\"model.visual.w\":\"a.safetensors\",\"model.language_model.x\":\"a.safetensors\","
            + "\"model.visual.b\":\"b.safetensors\",\"model.visual.position_ids\":\"b.safetensors\"}}");
    try (Checkpoint ckpt = Checkpoint.open(tmp)) {
      WeightMap w = WeightMap.bind(ckpt, ComputeTarget.cpuFloat(), "visual.", "model.visual.");
      assertEquals("model.visual.", w.prefix());
      try (Tensor a = w.take("w", 2, 2);
          Tensor b = w.take("b", 2)) {
        assertArrayEquals(new float[] {1, 2, 3, 4}, TestTensors.floats(a));
        assertArrayEquals(new float[] {0.5f, -2f}, TestTensors.floats(b));
      }
      CheckpointException e = assertThrows(CheckpointException.class, w::finish);
      assertTrue(e.getMessage().contains("model.visual.position_ids"), e.getMessage());
      w.skip("position_ids").finish();
    }
  }

  @Test
  void indexNamingAMissingShardIsRejected() throws IOException {
    Files.writeString(
        tmp.resolve(Checkpoint.INDEX), "{\"weight_map\":{\"visual.w\":\"gone.safetensors\"}}");
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(tmp));
    assertTrue(e.getMessage().contains("gone.safetensors"), e.getMessage());
  }

  @Test
  void noTensorUnderAnyPrefixIsRejected() {
    SafetensorsWriter.write(
        tmp.resolve(Checkpoint.SINGLE),
        List.of(TestTensors.f32("text_model.w", new float[] {1}, 1)));
    try (Checkpoint ckpt = Checkpoint.open(tmp)) {
      assertThrows(
          CheckpointException.class,
          () -> WeightMap.bind(ckpt, ComputeTarget.cpuFloat(), "vision_model."));
    }
  }
}
