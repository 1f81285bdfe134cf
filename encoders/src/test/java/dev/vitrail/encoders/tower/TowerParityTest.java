package dev.vitrail.encoders.tower;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vitrail.config.hf.ClipVisionConfig;
import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.SiglipVisionConfig;
import dev.vitrail.config.hf.VisionConfig;
import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.golden.Fixtures;
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.tensor.HostTensors;
import dev.vitrail.encoders.weights.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Every tensor of every CLIP/SigLIP fixture's {@code io*.safetensors} against the tower run on the
 * matching {@code model*.safetensors} ({@code io-f16} pairs with {@code model-f16}): max-abs ≤ 1e-4
 * and cosine ≥ 0.99999 in float32.
 */
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class TowerParityTest {
  private static final double MAX_ABS = 1e-4;
  private static final double MIN_COSINE = 0.99999;

  @TestFactory
  Stream<DynamicTest> everyOutputTensorMatches() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(Fixtures.file("models"))) {
      for (Path dir : dirs.sorted().toList()) {
        if (!isFixedSizeTower(dir)) {
          continue;
        }
        try (Stream<Path> files = Files.list(dir)) {
          for (Path io : files.sorted().toList()) {
            String name = io.getFileName().toString();
            if (name.startsWith("io") && name.endsWith(".safetensors")) {
              Path weights = dir.resolve("model" + name.substring(2));
              tests.add(
                  DynamicTest.dynamicTest(
                      dir.getFileName() + "/" + name, () -> check(dir, weights, io)));
            }
          }
        }
      }
    }
    assertTrue(
        tests.size() >= 3, "expected CLIP, CLIP-F16 and SigLIP cases, found " + tests.size());
    return tests.stream();
  }

  private static boolean isFixedSizeTower(Path dir) {
    if (!Files.isRegularFile(dir.resolve("config.json"))) {
      return false;
    }
    try {
      VisionConfig c = HfConfigs.read(dir);
      return c instanceof ClipVisionConfig || c instanceof SiglipVisionConfig;
    } catch (RuntimeException e) {
      return false; // other families (kimi, ...) are not this test's business
    }
  }

  private static void check(Path dir, Path weights, Path io) {
    VisionConfig config = HfConfigs.read(dir);
    try (Checkpoint model = Checkpoint.open(weights);
        Checkpoint expected = Checkpoint.open(io);
        VisionTower tower = FeatureEncoders.loadTower(model, config, ComputeTarget.cpuFloat());
        PointerScope scope = new PointerScope()) {
      Tensor pixels = expected.view("pixel_values");
      try (TowerOutput out = tower.forward(pixels.contiguous(), true)) {
        assertEquals(config.numHiddenLayers() + 1, out.hiddenStates().size());
        int compared = 0;
        for (String key : expected.keys()) {
          if (key.equals("pixel_values")) {
            continue;
          }
          compare(key, expected.view(key), actual(key, out, tower));
          compared++;
        }
        assertTrue(compared > 0, io + " holds no outputs");
      }
    }
  }

  private static Tensor actual(String key, TowerOutput out, VisionTower tower) {
    if (key.startsWith("hidden_states.")) {
      return out.hiddenStates().get(Integer.parseInt(key.substring("hidden_states.".length())));
    }
    return switch (key) {
      case "last_hidden_state" -> out.lastHiddenState();
      case "pooler_output" -> {
        assertNotNull(out.pooled(), "the fixture has pooler_output but the tower pooled nothing");
        yield out.pooled();
      }
      case "last_hidden_state_post_layernorm" -> tower.postLayerNorm().forward(out.lastLayer());
      default -> fail("no tower output for fixture tensor '" + key + "'");
    };
  }

  private static void compare(String key, Tensor want, Tensor got) {
    assertArrayEquals(want.shape(), got.shape(), key + " shape");
    float[] w = HostTensors.download(want);
    float[] g = HostTensors.download(got);
    double maxAbs = 0;
    double dot = 0;
    double nw = 0;
    double ng = 0;
    for (int i = 0; i < w.length; i++) {
      maxAbs = Math.max(maxAbs, Math.abs(w[i] - g[i]));
      dot += (double) w[i] * g[i];
      nw += (double) w[i] * w[i];
      ng += (double) g[i] * g[i];
    }
    double cosine = dot / Math.sqrt(nw * ng);
    assertTrue(maxAbs <= MAX_ABS, key + ": max-abs " + maxAbs);
    assertTrue(cosine >= MIN_COSINE, key + ": cosine " + cosine);
  }
}
