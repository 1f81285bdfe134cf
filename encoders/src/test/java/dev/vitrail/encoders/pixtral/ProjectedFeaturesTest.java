package dev.vitrail.encoders.pixtral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.KimiK25VisionConfig;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link FeatureSpec#lmEmbeddings()} through {@link FeatureEncoders#open}: each image gets the
 * transformers 5.17 projector output ({@code image_embeds} of the fixtures, split per image), the
 * LLaVA head read from {@code config.json}; towers without a projector refuse.
 */
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class ProjectedFeaturesTest {
  @BeforeAll
  static void load() {
    NativeTorch.load();
    torch.set_num_threads(1);
  }

  @Test
  void pixtralImagesGetTheLlavaProjectorOutput() {
    try (FeatureEncoder enc =
            FeatureEncoders.open(Fixtures.file(PixtralTowerParityTest.DIR), EncoderOptions.cpu());
        IoFile io = IoFile.open(PixtralTowerParityTest.DIR + "/io.safetensors")) {
      List<int[]> sizes = new ArrayList<>();
      List<float[]> images = PixtralTowerParityTest.images(io, sizes);
      List<PixelInput> batch = new ArrayList<>();
      for (int i = 0; i < images.size(); i++) {
        int[] s = sizes.get(i);
        batch.add(new PixelInput(images.get(i), new int[] {3, s[0], s[1]}, null));
      }
      List<FeatureOutput> out = enc.encode(batch, FeatureSpec.lmEmbeddings());
      long[] shape = io.shape("image_embeds");
      int width = (int) shape[1];
      float[] all = new float[Math.toIntExact(shape[0] * width)];
      int at = 0;
      int patch =
          Fixtures.json(PixtralTowerParityTest.DIR + "/config.json")
              .path("vision_config")
              .path("patch_size")
              .asInt();
      for (int i = 0; i < out.size(); i++) {
        int rows = sizes.get(i)[0] / patch * (sizes.get(i)[1] / patch);
        assertArrayEquals(new int[] {rows, width}, out.get(i).shape());
        System.arraycopy(out.get(i).values(), 0, all, at, out.get(i).values().length);
        at += out.get(i).values().length;
      }
      assertEquals(all.length, at);
      Parity.assertClose("image_embeds", io.floats("image_embeds"), all);
      // the tower features are still there without the flag
      assertEquals(
          Fixtures.json(PixtralTowerParityTest.DIR + "/config.json")
              .path("vision_config")
              .path("hidden_size")
              .asInt(),
          enc.encode(batch.subList(0, 1), FeatureSpec.defaults()).get(0).shape()[1]);
    }
  }

  @Test
  void kimiEntriesGetTheMmProjectorOutput() {
    String dir = "models/kimi_k25-tiny";
    KimiK25VisionConfig c = (KimiK25VisionConfig) HfConfigs.read(Fixtures.file(dir));
    try (FeatureEncoder enc = FeatureEncoders.open(Fixtures.file(dir), EncoderOptions.cpu());
        IoFile io = IoFile.open(dir + "/io.safetensors")) {
      long[] g = io.longs("grid_thw");
      float[] pixels = io.floats("pixel_values");
      long patches = 0;
      for (int i = 0; i < g.length / 3; i++) {
        patches += g[3 * i] * g[3 * i + 1] * g[3 * i + 2];
      }
      int width = (int) (pixels.length / patches);
      List<PixelInput> batch = new ArrayList<>();
      int from = 0;
      for (int i = 0; i < g.length / 3; i++) {
        int[] grid = {(int) g[3 * i], (int) g[3 * i + 1], (int) g[3 * i + 2]};
        int rows = grid[0] * grid[1] * grid[2];
        batch.add(
            new PixelInput(
                Arrays.copyOfRange(pixels, from * width, (from + rows) * width),
                new int[] {rows, width},
                grid));
        from += rows;
      }
      List<FeatureOutput> out = enc.encode(batch, FeatureSpec.lmEmbeddings());
      float[] all = new float[out.stream().mapToInt(f -> f.values().length).sum()];
      int at = 0;
      for (FeatureOutput f : out) {
        assertEquals(c.textHiddenSize(), f.shape()[1]);
        System.arraycopy(f.values(), 0, all, at, f.values().length);
        at += f.values().length;
      }
      Parity.assertClose("image_embeds", io.floats("image_embeds"), all);
    }
  }

  @Test
  void towersWithoutAProjectorRefuse() {
    try (FeatureEncoder enc =
        FeatureEncoders.open(Fixtures.file("models/clip-tiny"), EncoderOptions.cpu())) {
      int s = Fixtures.json("models/clip-tiny/config.json").path("image_size").asInt(0);
      int side =
          s > 0
              ? s
              : Fixtures.json("models/clip-tiny/config.json")
                  .path("vision_config")
                  .path("image_size")
                  .asInt();
      PixelInput in = new PixelInput(new float[3 * side * side], new int[] {3, side, side}, null);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> enc.encode(List.of(in), FeatureSpec.lmEmbeddings()));
      assertTrue(e.getMessage().contains("no projector"), e.getMessage());
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> new FeatureSpec(List.of(-2), null, true, false, true));
  }
}
