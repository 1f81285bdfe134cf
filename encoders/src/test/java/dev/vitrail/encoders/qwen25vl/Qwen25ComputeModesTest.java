package dev.vitrail.encoders.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.golden.Fixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Qwen2.5-VL tower (fused qkv, gated MLP, merger: all through the shared linear layer) in the
 * bf16 and int8 compute modes against the golden {@code image_embeds}: per-token cosine.
 */
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class Qwen25ComputeModesTest {
  private static final Path DIR = Fixtures.file("models/qwen2_5_vl-tiny");

  @ParameterizedTest
  @CsvSource({"bf16, 0.999", "int8, 0.99"})
  void mergedEmbeddingsStayWithinTheModesTolerance(String dtype, double minCosine) {
    SingleThreads.apply();
    try (FeatureEncoder enc = FeatureEncoders.open(DIR, new EncoderOptions("cpu", dtype, null));
        IoTensors io = IoTensors.open(DIR.resolve("io.safetensors"))) {
      List<FeatureOutput> outs = enc.encode(io.inputs(), FeatureSpec.defaults());
      float[] want = io.floats("image_embeds");
      int width = (int) io.shape("image_embeds")[1];
      int row = 0;
      double worst = 1;
      for (FeatureOutput o : outs) {
        float[] got = o.values();
        for (int r = 0; r < got.length / width; r++, row++) {
          worst = Math.min(worst, cosine(want, row * width, got, r * width, width));
        }
      }
      assertTrue(row * width == want.length, "rows covered");
      assertTrue(worst >= minCosine, dtype + ": smallest per-token cosine " + worst);
    }
  }

  private static double cosine(float[] a, int ia, float[] b, int ib, int n) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < n; i++) {
      dot += (double) a[ia + i] * b[ib + i];
      na += (double) a[ia + i] * a[ia + i];
      nb += (double) b[ib + i] * b[ib + i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
