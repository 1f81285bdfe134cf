package dev.vitrail.encoders.tower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.config.hf.ClipVisionConfig;
import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.VisionConfig;
import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.golden.Fixtures;
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.tensor.HostTensors;
import dev.vitrail.encoders.weights.Checkpoint;
import dev.vitrail.encoders.weights.CheckpointException;
import dev.vitrail.encoders.weights.SafetensorsWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full CLIP checkpoint (text tower, projections, position_ids buffer next to the vision weights)
 * loads the vision tower only; an unknown tensor under {@code vision_model.} is reported.
 */
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class FullCheckpointTest {
  @TempDir Path tmp;

  @Test
  void loadsTheVisionTowerOutOfAFullCheckpoint() {
    Path src = Fixtures.file("models/clip-tiny");
    VisionConfig config = HfConfigs.read(src);
    ClipVisionConfig clip = (ClipVisionConfig) config;
    int side = clip.imageSize() / clip.patchSize();
    long positions = side * side + 1; // the patches and the class token
    List<SafetensorsWriter.Tensor> tensors = copyOf(src.resolve("model.safetensors"));
    tensors.add(floats("text_model.embeddings.token_embedding.weight", 2, 3));
    tensors.add(floats("logit_scale"));
    tensors.add(
        new SafetensorsWriter.Tensor(
            "vision_model.embeddings.position_ids",
            "I64",
            new long[] {1, positions},
            b -> {
              for (long i = 0; i < positions; i++) {
                b.putLong(i);
              }
            }));
    Path full = tmp.resolve("full.safetensors");
    SafetensorsWriter.write(full, tensors);
    try (Checkpoint ckpt = Checkpoint.open(full);
        VisionTower tower = FeatureEncoders.loadTower(ckpt, config, ComputeTarget.cpuFloat());
        PointerScope scope = new PointerScope()) {
      assertEquals(config.numHiddenLayers(), tower.numHiddenLayers());
      assertEquals(
          positions,
          HostTensors.download(ckpt.view("vision_model.embeddings.position_ids")).length);
    }

    tensors.add(floats("vision_model.encoder.layers.0.extra.weight", 4));
    Path extra = tmp.resolve("extra.safetensors");
    SafetensorsWriter.write(extra, tensors);
    try (Checkpoint ckpt = Checkpoint.open(extra)) {
      CheckpointException e =
          assertThrows(
              CheckpointException.class,
              () -> FeatureEncoders.loadTower(ckpt, config, ComputeTarget.cpuFloat()).close());
      assertTrue(
          e.getMessage().contains("vision_model.encoder.layers.0.extra.weight"), e.getMessage());
    }
  }

  private static List<SafetensorsWriter.Tensor> copyOf(Path file) {
    List<SafetensorsWriter.Tensor> out = new ArrayList<>();
    try (Checkpoint ckpt = Checkpoint.open(file);
        PointerScope scope = new PointerScope()) {
      for (String key : ckpt.keys()) {
        float[] values = HostTensors.download(ckpt.view(key));
        long[] shape = ckpt.entry(key).shape();
        out.add(
            new SafetensorsWriter.Tensor(
                key,
                "F32",
                shape,
                b -> {
                  for (float v : values) {
                    b.putFloat(v);
                  }
                }));
      }
    }
    return out;
  }

  private static SafetensorsWriter.Tensor floats(String name, long... shape) {
    return new SafetensorsWriter.Tensor(
        name,
        "F32",
        shape,
        b -> {
          while (b.hasRemaining()) {
            b.putFloat(0.5f);
          }
        });
  }
}
