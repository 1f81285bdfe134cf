package dev.vitrail.encoders.info;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.vitrail.encoders.golden.Fixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Token counts of the Kimi K2.5 and SigLIP2 infos. Expected values were computed with transformers
 * 5.17: {@code Kimi_K25ImageProcessor.navit_resize} (patch 14, merge 2, max_patches 16384, 512 per
 * side; its patch count / 4) and {@code get_image_size_for_max_num_patches} (patch 16, 256
 * patches).
 */
class NewFamilyInfoTest {
  /** (width, height, Kimi patches, SigLIP2 resized height, resized width). */
  private static final int[][] CASES = {
    {1, 1, 4, 112, 112},
    {17, 23, 4, 288, 224},
    {224, 224, 256, 256, 256},
    {300, 200, 352, 208, 304},
    {640, 480, 1656, 224, 288},
    {1920, 1080, 10764, 192, 336},
    {4000, 3000, 16800, 224, 288},
    {14, 9000, 1024, 4096, 16},
    {9000, 14, 1024, 16, 4096},
    {7169, 7169, 16384, 256, 256},
  };

  @Test
  void kimiTokensAndCostFollowTheNavitResize() {
    KimiK25EncoderInfo info =
        new KimiK25EncoderInfo(
            14,
            2,
            KimiK25EncoderInfo.DEFAULT_IN_PATCH_LIMIT,
            KimiK25EncoderInfo.DEFAULT_PATCH_LIMIT_ON_ONE_SIDE);
    for (int[] c : CASES) {
      String what = c[0] + "x" + c[1];
      assertEquals(c[2] / 4, info.numImageTokens(c[0], c[1]), what);
      assertEquals(c[2], info.patches(c[0], c[1], 1), what);
      assertEquals(4L * c[2], info.patches(c[0], c[1], 4), what + " 4 frames");
    }
  }

  @Test
  void siglip2TokensFollowTheMaxPatchSearch() {
    Siglip2EncoderInfo info = new Siglip2EncoderInfo(16, 256);
    for (int[] c : CASES) {
      String what = c[0] + "x" + c[1];
      assertArrayEquals(new int[] {c[3], c[4]}, info.resizedHeightWidth(c[0], c[1]), what);
      assertEquals((long) (c[3] / 16) * (c[4] / 16), info.numImageTokens(c[0], c[1]), what);
    }
  }

  @Test
  @Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
  void newFamiliesDispatchFromTheirCheckpointConfig() {
    assertInstanceOf(
        KimiK25EncoderInfo.class,
        VisionEncoderInfo.fromConfigDir(Fixtures.file("models/kimi_k25-tiny")));
    assertInstanceOf(
        Siglip2EncoderInfo.class,
        VisionEncoderInfo.fromConfigDir(Fixtures.file("models/siglip2-tiny")));
    assertInstanceOf(
        Qwen2VlEncoderInfo.class,
        VisionEncoderInfo.fromConfigDir(Fixtures.file("models/qwen3_vl-tiny")));
    assertInstanceOf(
        PixtralEncoderInfo.class,
        VisionEncoderInfo.fromConfigDir(Fixtures.file("models/pixtral-tiny")));
  }
}
