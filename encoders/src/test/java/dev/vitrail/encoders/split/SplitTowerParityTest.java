package dev.vitrail.encoders.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.config.hf.ClipVisionConfig;
import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.SiglipVisionConfig;
import dev.vitrail.config.hf.VisionConfig;
import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.golden.Fixtures;
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.tensor.HostTensors;
import dev.vitrail.encoders.tensor.LinearKernel;
import dev.vitrail.encoders.tower.TowerOutput;
import dev.vitrail.encoders.tower.VisionTower;
import dev.vitrail.encoders.weights.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * A CLIP/SigLIP tower split 2 and 3 ways (3: heads and MLP columns in unequal parts where they do
 * not divide; never more ways than heads) through either f32 linear kernel against every output
 * tensor of the fixture's float32 goldens: max-abs ≤ 1e-4. Also: the tower runs on its own threads,
 * which close with it, and no native handle outlives a call.
 */
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class SplitTowerParityTest {
  private static final double MAX_ABS = 1e-4;

  @TestFactory
  Stream<DynamicTest> splitTowersMatchTheGoldens() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(Fixtures.file("models"))) {
      for (Path dir : dirs.sorted().toList()) {
        if (!isClipOrSiglip(dir) || !Files.isRegularFile(dir.resolve("io.safetensors"))) {
          continue;
        }
        for (LinearKernel kernel :
            new LinearKernel[] {LinearKernel.DENSE, LinearKernel.ONEDNN, LinearKernel.MLAS}) {
          for (int ways : new int[] {2, 3}) {
            tests.add(
                DynamicTest.dynamicTest(
                    dir.getFileName() + " " + kernel + " " + ways + " ways",
                    () -> check(dir, kernel, ways)));
          }
        }
      }
    }
    assertTrue(tests.size() >= 8, "expected CLIP and SigLIP cases, found " + tests.size());
    return tests.stream();
  }

  private static boolean isClipOrSiglip(Path dir) {
    if (!Files.isRegularFile(dir.resolve("config.json"))) {
      return false;
    }
    try {
      VisionConfig c = HfConfigs.read(dir);
      return c instanceof ClipVisionConfig || c instanceof SiglipVisionConfig;
    } catch (RuntimeException e) {
      return false; // other families are not this test's business
    }
  }

  private static void check(Path dir, LinearKernel kernel, int ways) {
    VisionConfig config = HfConfigs.read(dir);
    ComputeTarget target = new ComputeTarget("cpu", torch.ScalarType.Float, null, kernel);
    long threadsBefore = splitThreads();
    System.setProperty(TowerSplit.PROPERTY, Integer.toString(ways));
    System.setProperty(TowerSplit.KERNEL_PROPERTY, kernel.name());
    VisionTower tower;
    try (Checkpoint model = Checkpoint.open(dir.resolve("model.safetensors"))) {
      tower = FeatureEncoders.loadTower(model, config, target);
    } finally {
      System.clearProperty(TowerSplit.PROPERTY);
      System.clearProperty(TowerSplit.KERNEL_PROPERTY);
    }
    try (tower;
        Checkpoint expected = Checkpoint.open(dir.resolve("io.safetensors"));
        PointerScope scope = new PointerScope()) {
      int heads =
          config instanceof ClipVisionConfig c
              ? c.numAttentionHeads()
              : ((SiglipVisionConfig) config).numAttentionHeads();
      assertEquals(
          threadsBefore + Math.min(ways, heads), splitThreads(), "one thread per shard (≤ heads)");
      Tensor pixels = expected.view("pixel_values").contiguous();
      try (TowerOutput out = tower.forward(pixels, true)) {
        assertEquals(config.numHiddenLayers() + 1, out.hiddenStates().size());
        for (String key : expected.keys()) {
          if (key.startsWith("hidden_states.")) {
            int i = Integer.parseInt(key.substring("hidden_states.".length()));
            compare(key, expected.view(key), out.hiddenStates().get(i));
          } else if (key.equals("last_hidden_state")) {
            compare(key, expected.view(key), out.lastHiddenState());
          } else if (key.equals("pooler_output") && out.pooled() != null) {
            compare(key, expected.view(key), out.pooled());
          }
        }
      }
      // the last-state-only path, and no native handle left alive by a call
      Tensor want = expected.view("last_hidden_state");
      for (int i = 0; i < 3; i++) {
        long handles = Pointer.totalCount();
        float[] got;
        try (TowerOutput out = tower.forward(pixels, false);
            PointerScope inner = new PointerScope()) {
          got = HostTensors.download(out.lastHiddenState());
        }
        assertTrue(i == 0 || Pointer.totalCount() <= handles, "a call left native handles alive");
        compare("last_hidden_state", HostTensors.download(want), got);
      }
    }
    assertEquals(threadsBefore, splitThreads(), "the shard threads end with the tower");
  }

  private static long splitThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("vitrail-split-"))
        .count();
  }

  private static void compare(String key, Tensor want, Tensor got) {
    compare(key, HostTensors.download(want), HostTensors.download(got));
  }

  private static void compare(String key, float[] w, float[] g) {
    assertEquals(w.length, g.length, key + " size");
    double maxAbs = 0;
    for (int i = 0; i < w.length; i++) {
      maxAbs = Math.max(maxAbs, Math.abs(w[i] - g[i]));
    }
    assertTrue(maxAbs <= MAX_ABS, key + ": max-abs " + maxAbs);
  }
}
