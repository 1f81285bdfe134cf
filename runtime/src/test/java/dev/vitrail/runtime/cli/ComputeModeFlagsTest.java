package dev.vitrail.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.preprocess.ImageProcessors;
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.runtime.golden.Fixtures;
import dev.vitrail.runtime.http.TestImages;
import dev.vitrail.runtime.safetensors.SafetensorsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --dtype int8}, {@code --blas} and {@code --linear-kernel} reach the tower: int8 features
 * close to float32's, MLAS features equal to them within float32 rounding.
 */
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class ComputeModeFlagsTest {
  private static final Path MODEL = MainTest.MODEL;
  @TempDir Path dir;

  @Test
  void int8AndBlasFlagsRunTheTowerInThatMode() throws Exception {
    byte[] png = TestImages.png(24, 24, 7);
    Path img = Files.write(dir.resolve("q.png"), png);
    Path out = dir.resolve("q.safetensors");
    MainTest.Run r =
        MainTest.run(
            "encode",
            "--model",
            MODEL.toString(),
            "--dtype",
            "int8",
            "--blas",
            "auto",
            "--out",
            out.toString(),
            img.toString());
    assertEquals(0, r.status(), r.out() + r.err());
    float[] got = SafetensorsFiles.read(out).get("q.png").values();
    float[] want = float32Features(png);
    double dot = 0;
    double nw = 0;
    double ng = 0;
    boolean differs = false;
    for (int i = 0; i < want.length; i++) {
      dot += (double) want[i] * got[i];
      nw += (double) want[i] * want[i];
      ng += (double) got[i] * got[i];
      differs |= want[i] != got[i];
    }
    assertTrue(differs, "--dtype int8 gave float32's exact features");
    assertTrue(dot / Math.sqrt(nw * ng) > 0.99, "int8 cosine " + dot / Math.sqrt(nw * ng));
  }

  @Test
  void theLinearKernelFlagReachesTheTowerAndABadOneIsAUsageError() throws Exception {
    byte[] png = TestImages.png(24, 24, 9);
    Path img = Files.write(dir.resolve("m.png"), png);
    Path out = dir.resolve("m.safetensors");
    try {
      MainTest.Run r =
          MainTest.run(
              "encode",
              "--model",
              MODEL.toString(),
              "--linear-kernel",
              "mlas",
              "--out",
              out.toString(),
              img.toString());
      assertEquals(0, r.status(), r.out() + r.err());
      MainTest.Run bad =
          MainTest.run(
              "encode", "--model", MODEL.toString(), "--linear-kernel", "blis", img.toString());
      assertEquals(2, bad.status(), bad.out() + bad.err());
      assertTrue(bad.err().contains("linear-kernel"), bad.err());
    } finally {
      ComputeTarget.selectLinearKernel("auto"); // the commands ran in this JVM
    }
    float[] got = SafetensorsFiles.read(out).get("m.png").values();
    float[] want = float32Features(png);
    double maxAbs = 0;
    boolean differs = false;
    for (int i = 0; i < want.length; i++) {
      maxAbs = Math.max(maxAbs, Math.abs(want[i] - got[i]));
      differs |= want[i] != got[i];
    }
    assertTrue(differs, "--linear-kernel mlas gave OpenBLAS's exact features");
    assertTrue(maxAbs <= 1e-4, "MLAS max-abs " + maxAbs);
  }

  /** The image's features from the tower opened in this JVM with default (float32) options. */
  private static float[] float32Features(byte[] png) throws Exception {
    try (FeatureEncoder tower = FeatureEncoders.open(MODEL, EncoderOptions.cpu())) {
      return tower
          .encode(List.of(ImageProcessors.forModel(MODEL).process(png)), FeatureSpec.defaults())
          .get(0)
          .values();
    }
  }
}
