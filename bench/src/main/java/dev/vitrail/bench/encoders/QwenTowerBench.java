package dev.vitrail.bench.encoders;

import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.Qwen25VisionConfig;
import java.io.IOException;
import java.nio.file.Files;

/**
 * {@link TowerBench} for the Qwen2.5-VL tower only: the same arguments ({@code --config CONFIG_JSON
 * --grid T H W ...}), refusing a config of another family so that a mistyped path does not measure
 * the wrong tower.
 */
public final class QwenTowerBench {
  private QwenTowerBench() {}

  public static void main(String[] args) throws IOException {
    BenchArgs a = BenchArgs.parse(args);
    if (!(HfConfigs.parse(Files.readString(a.config())) instanceof Qwen25VisionConfig)) {
      throw new IllegalArgumentException(
          "qwen-tower needs a Qwen2.5-VL vision config (model_type qwen2_5_vl), got " + a.config());
    }
    TowerBench.main(args);
  }
}
