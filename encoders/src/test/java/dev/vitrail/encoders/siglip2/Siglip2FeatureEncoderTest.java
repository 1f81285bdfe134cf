package dev.vitrail.encoders.siglip2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.Siglip2VisionConfig;
import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.golden.Fixtures;
import dev.vitrail.encoders.golden.IoFile;
import dev.vitrail.encoders.golden.Parity;
import dev.vitrail.encoders.tensor.NativeTorch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * SigLIP2 chosen by {@code model_type} siglip2: last hidden state, pooled output, and layer
 * selection with {@code post_layernorm} as {@code last_hs_proc}, against transformers' tensors.
 */
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class Siglip2FeatureEncoderTest {
  @BeforeAll
  static void load() {
    NativeTorch.load();
    torch.set_num_threads(1);
  }

  @Test
  void defaultsPooledAndSelectedLayersMatch() {
    String dirName = Siglip2TowerParityTest.DIR;
    Path dir = Fixtures.file(dirName);
    Siglip2VisionConfig config = (Siglip2VisionConfig) HfConfigs.read(dir);
    int d = config.hiddenSize();
    try (FeatureEncoder enc = FeatureEncoders.open(dir, EncoderOptions.cpu());
        IoFile io = IoFile.open(dirName + "/io.safetensors")) {
      assertEquals("siglip2", enc.family());
      List<int[]> shapes = new ArrayList<>();
      List<float[]> images = Siglip2TowerParityTest.images(io, shapes);
      List<PixelInput> batch = new ArrayList<>();
      for (int i = 0; i < images.size(); i++) {
        int[] s = shapes.get(i);
        batch.add(
            new PixelInput(
                images.get(i),
                new int[] {s[0] * s[1], config.patchRowWidth()},
                new int[] {1, s[0], s[1]}));
      }
      List<FeatureOutput> last = enc.encode(batch, FeatureSpec.defaults());
      List<FeatureOutput> pooled = enc.encode(batch, new FeatureSpec(List.of(), null, true, true));
      List<FeatureOutput> picked =
          enc.encode(batch, new FeatureSpec(List.of(-2, -1), null, true, false));
      float[] pool = io.floats("pooler_output");
      for (int b = 0; b < batch.size(); b++) {
        int n = shapes.get(b)[0] * shapes.get(b)[1];
        float[] wantLast = Siglip2TowerParityTest.realRows(io, "last_hidden_state", b, n);
        Parity.assertClose("last " + b, wantLast, last.get(b).values());
        assertArrayEquals(new int[] {1, d}, pooled.get(b).shape());
        Parity.assertClose(
            "pooled " + b, Arrays.copyOfRange(pool, b * d, (b + 1) * d), pooled.get(b).values());
        assertArrayEquals(new int[] {n, 2 * d}, picked.get(b).shape());
        float[] penultimate =
            Siglip2TowerParityTest.realRows(
                io, "hidden_states." + (config.numHiddenLayers() - 1), b, n);
        float[] got = picked.get(b).values();
        for (int r = 0; r < n; r++) {
          Parity.assertClose(
              "picked " + b + " row " + r,
              concat(
                  Arrays.copyOfRange(penultimate, r * d, (r + 1) * d),
                  Arrays.copyOfRange(wantLast, r * d, (r + 1) * d)),
              Arrays.copyOfRange(got, r * 2 * d, (r + 1) * 2 * d));
        }
      }
    }
  }

  private static float[] concat(float[] a, float[] b) {
    float[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
