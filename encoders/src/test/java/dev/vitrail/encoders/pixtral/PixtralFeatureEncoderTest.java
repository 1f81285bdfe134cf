package dev.vitrail.encoders.pixtral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.PixtralVisionConfig;
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

/** Pixtral chosen by {@code model_type} (llava + pixtral vision), images of their own sizes. */
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class PixtralFeatureEncoderTest {
  @BeforeAll
  static void load() {
    NativeTorch.load();
    torch.set_num_threads(1);
  }

  @Test
  void eachImageGetsItsOwnRowsOfTheLastLayerAndLayersResolve() {
    Path dir = Fixtures.file(PixtralTowerParityTest.DIR);
    PixtralVisionConfig config = (PixtralVisionConfig) HfConfigs.read(dir);
    try (FeatureEncoder enc = FeatureEncoders.open(dir, EncoderOptions.cpu());
        IoFile io = IoFile.open(PixtralTowerParityTest.DIR + "/io.safetensors")) {
      assertEquals("pixtral", enc.family());
      List<int[]> sizes = new ArrayList<>();
      List<float[]> images = PixtralTowerParityTest.images(io, sizes);
      List<PixelInput> batch = new ArrayList<>();
      for (int i = 0; i < images.size(); i++) {
        int[] hw = sizes.get(i);
        batch.add(new PixelInput(images.get(i), new int[] {3, hw[0], hw[1]}, null));
      }
      float[] last = io.floats("last_hidden_state");
      float[] penultimate = io.floats("hidden_states." + (config.numHiddenLayers() - 1));
      List<FeatureOutput> out = enc.encode(batch, FeatureSpec.defaults());
      List<FeatureOutput> two =
          enc.encode(batch, new FeatureSpec(List.of(-2, -1), "full", false, false));
      int d = config.hiddenSize();
      int row = 0;
      for (int i = 0; i < batch.size(); i++) {
        int n = (sizes.get(i)[0] / config.patchSize()) * (sizes.get(i)[1] / config.patchSize());
        assertArrayEquals(new int[] {n, d}, out.get(i).shape());
        float[] want = Arrays.copyOfRange(last, row * d, (row + n) * d);
        Parity.assertClose("image " + i, want, out.get(i).values());
        assertArrayEquals(new int[] {n, 2 * d}, two.get(i).shape());
        float[] got = two.get(i).values();
        for (int r = 0; r < n; r++) {
          Parity.assertClose(
              "image " + i + " row " + r + " layer -2",
              Arrays.copyOfRange(penultimate, (row + r) * d, (row + r + 1) * d),
              Arrays.copyOfRange(got, r * 2 * d, r * 2 * d + d));
        }
        row += n;
      }
      assertThrows(
          IllegalArgumentException.class,
          () -> enc.encode(batch, new FeatureSpec(List.of(), "default", true, false)));
    }
  }
}
