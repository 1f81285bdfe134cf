package dev.vitrail.runtime.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.VisionConfig;
import dev.vitrail.config.settings.RuntimeSettings;
import dev.vitrail.runtime.golden.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code layout = one-wide} splits a float32 CLIP or SigLIP tower across the cores (libtorch's pool
 * wide, BLAS at one) and keeps OpenBLAS wide for towers that do not split.
 */
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class OneWideSplitTest {
  private static RuntimeSettings with(String workers) {
    return RuntimeSettings.from(
        ConfigFactory.parseString("vitrail.workers { devices = cpu, " + workers + " }")
            .withFallback(ConfigFactory.defaultReference())
            .resolve());
  }

  private static VisionConfig model(String name) {
    return HfConfigs.read(Fixtures.root().resolve("models/" + name));
  }

  private static List<Integer> pools(RuntimeSettings s) {
    return List.of(s.workers(), s.torchThreads(), s.blasThreads());
  }

  @Test
  void oneWideSplitsAClipTowerAndLeavesOthersOnOpenBlas() {
    RuntimeSettings oneWide = with("layout = one-wide, cores = 2");
    assertEquals(List.of(1, 1, 2), pools(oneWide));
    assertEquals(List.of(1, 2, 1), pools(LibtorchTowers.forTower(oneWide, model("clip-tiny"))));
    assertEquals(
        List.of(1, 1, 2), pools(LibtorchTowers.forTower(oneWide, model("qwen2_5_vl-tiny"))));
    RuntimeSettings int8 = with("layout = one-wide, cores = 2, compute-dtype = int8");
    assertEquals(List.of(1, 2, 1), pools(LibtorchTowers.forTower(int8, model("clip-tiny"))));
    RuntimeSettings fixed = with("torch-threads = 1, blas-threads = 2");
    assertEquals(List.of(1, 1, 2), pools(LibtorchTowers.forTower(fixed, model("clip-tiny"))));
  }

  @Test
  void towerSplitOffKeepsOneWideOnOpenBlas() {
    LibtorchTowers.selectTowerSplit("off");
    try {
      RuntimeSettings oneWide = with("layout = one-wide, cores = 2");
      assertEquals(List.of(1, 1, 2), pools(LibtorchTowers.forTower(oneWide, model("clip-tiny"))));
    } finally {
      LibtorchTowers.selectTowerSplit("auto");
    }
  }
}
