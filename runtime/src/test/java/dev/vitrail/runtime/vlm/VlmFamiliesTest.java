package dev.vitrail.runtime.vlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.config.hf.KimiK25VisionConfig;
import dev.vitrail.config.hf.PixtralVisionConfig;
import dev.vitrail.config.hf.Qwen3VlVisionConfig;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.info.PixtralEncoderInfo;
import dev.vitrail.runtime.api.EncodeRequest;
import dev.vitrail.runtime.api.VitrailTestSettings;
import dev.vitrail.runtime.golden.Fixtures;
import dev.vitrail.runtime.http.TestImages;
import dev.vitrail.runtime.model.ServedModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tier over Pixtral (LLaVA projector) and Qwen3-VL (merger + deepstack): the {@code ec_cache}
 * file holds exactly the embedded API's LM-ready embeddings after the bf16 cast, with the rows the
 * consumer counts; Pixtral refuses inline embeddings as vLLM does.
 */
@ExtendWith(LogCapturingExtension.class)
class VlmFamiliesTest {
  private static final Executor DIRECT = Runnable::run;
  @TempDir Path tmp;

  private static VlmSettings settings(Path dir) {
    return new VlmSettings(dir, EcDtype.BF16, 0, Duration.ZERO, 0, 0, 0);
  }

  private static FeatureOutput embedded(ServedModel model, byte[] image, FeatureSpec spec)
      throws Exception {
    return model
        .vitrail()
        .encode(EncodeRequest.ofPixels("ref", List.of(model.processor().process(image)), spec))
        .toCompletableFuture()
        .get(60, TimeUnit.SECONDS)
        .features()
        .get(0);
  }

  private static VlmResult run(VlmEncoder e, byte[] image, VlmOutput out) throws Exception {
    return e.encode(List.of(e.prepare(image, EcDtype.BF16, out)), out, DIRECT)
        .toCompletableFuture()
        .get(60, TimeUnit.SECONDS)
        .get(0);
  }

  @Test
  @Tag(Fixtures.TAG) // pixtral-tiny: also run on tools/fixtures/alt
  void pixtralFilesHoldTheProjectorOutputOnePerImgToken() throws Exception {
    Path dir = Fixtures.root().resolve("models/pixtral-tiny");
    byte[] image = TestImages.png(150, 90, 21);
    try (ServedModel model = ServedModel.open(dir, null, VitrailTestSettings.of(""))) {
      VlmEncoder tier = VlmEncoder.open(model, settings(tmp.resolve("ec")));
      PixtralVisionConfig v = (PixtralVisionConfig) model.config();
      PixtralEncoderInfo.Grid g =
          new PixtralEncoderInfo(v.imageSize(), v.patchSize(), 1).patchGrid(150, 90);
      FeatureOutput want = embedded(model, image, FeatureSpec.lmEmbeddings());
      int text =
          Fixtures.json("models/pixtral-tiny/config.json")
              .path("text_config")
              .path("hidden_size")
              .asInt();
      assertArrayEquals(new int[] {(int) g.numImageTokens(), text}, want.shape());

      VlmResult r = run(tier, image, VlmOutput.EC);
      assertEquals(g.numImageTokens(), r.tokens());
      assertArrayEquals(new int[] {1, (int) g.nrows(), (int) g.ncols()}, r.gridThw());
      EcFiles.Tensor t = EcFiles.read(r.file());
      assertEquals("BF16", t.entry().dtype());
      assertArrayEquals(new long[] {g.numImageTokens(), text}, t.entry().shape());
      assertArrayEquals(EcDtype.BF16.encode(want.values()), t.data());
      assertTrue(run(tier, image, VlmOutput.EC).cached());

      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> tier.prepare(image, EcDtype.BF16, VlmOutput.INLINE));
      assertTrue(e.getMessage().contains("Pixtral-HF does not support image_embeds"));
    }
  }

  @Test
  @Tag(Fixtures.TAG) // qwen3_vl-tiny: also run on tools/fixtures/alt
  void qwen3VlFilesHoldMergerAndDeepstackConcatenated() throws Exception {
    Path dir = Fixtures.root().resolve("models/qwen3_vl-tiny");
    byte[] image = TestImages.png(120, 200, 22);
    try (ServedModel model = ServedModel.open(dir, null, VitrailTestSettings.of(""))) {
      VlmEncoder tier = VlmEncoder.open(model, settings(tmp.resolve("ec")));
      Qwen3VlVisionConfig q = (Qwen3VlVisionConfig) model.config();
      int hidden = q.outHiddenSize() * (1 + q.deepstackVisualIndexes().length);
      FeatureOutput want = embedded(model, image, FeatureSpec.defaults());
      assertEquals(hidden, want.shape()[1]);

      VlmResult r = run(tier, image, VlmOutput.BOTH);
      assertFalse(r.cached());
      assertEquals(want.shape()[0], r.tokens());
      int[] grid = r.gridThw();
      assertEquals((long) grid[0] * grid[1] * grid[2] / 4, r.tokens());
      EcFiles.Tensor t = EcFiles.read(r.file());
      assertArrayEquals(new long[] {r.tokens(), hidden}, t.entry().shape());
      byte[] bf16 = EcDtype.BF16.encode(want.values());
      assertArrayEquals(bf16, t.data());
      byte[] archive =
          Base64.getDecoder()
              .decode(r.contentPart().get("image_embeds").get("image_embeds").asText());
      assertArrayEquals(bf16, InlineEmbedsTest.records(archive).get("archive/data/0"));

      VlmEncoder.Prepared npy =
          tier.prepare(image, EcDtype.F16, VlmOutput.INLINE, InlineFormat.NPY);
      VlmResult n =
          tier.encode(List.of(npy), VlmOutput.INLINE, DIRECT)
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS)
              .get(0);
      byte[] file =
          Base64.getDecoder()
              .decode(n.contentPart().get("image_embeds").get("image_embeds").asText());
      byte[] f16 = EcDtype.F16.encode(want.values());
      assertArrayEquals(
          f16, java.util.Arrays.copyOfRange(file, file.length - f16.length, file.length));
      assertEquals((byte) 0x93, file[0]);
      assertThrows(
          IllegalArgumentException.class,
          () -> tier.prepare(image, EcDtype.BF16, VlmOutput.INLINE, InlineFormat.NPY));
      VlmEncoder small =
          VlmEncoder.open(
              model, new VlmSettings(null, EcDtype.BF16, 0, Duration.ZERO, 0, 0, 0, 1000));
      VlmEncoder.Prepared big = small.prepare(image, EcDtype.BF16, VlmOutput.INLINE);
      assertThrows(EcLimitException.class, () -> small.checkInline(List.of(big), VlmOutput.INLINE));
    }
  }

  @Test
  @Tag(Fixtures.TAG) // kimi_k25-tiny: also run on tools/fixtures/alt
  void kimiFilesHoldTheMmProjectorOutput() throws Exception {
    Path dir = Fixtures.root().resolve("models/kimi_k25-tiny");
    byte[] image = TestImages.png(90, 60, 23);
    try (ServedModel model = ServedModel.open(dir, null, VitrailTestSettings.of(""))) {
      VlmEncoder tier = VlmEncoder.open(model, settings(tmp.resolve("ec")));
      KimiK25VisionConfig k = (KimiK25VisionConfig) model.config();
      FeatureOutput want = embedded(model, image, FeatureSpec.lmEmbeddings());
      assertEquals(k.textHiddenSize(), want.shape()[1]);
      VlmResult r = run(tier, image, VlmOutput.EC);
      int[] g = r.gridThw();
      assertEquals((long) g[1] * g[2] / k.mergeFactor(), r.tokens());
      assertEquals(want.shape()[0], r.tokens());
      EcFiles.Tensor t = EcFiles.read(r.file());
      assertArrayEquals(new long[] {r.tokens(), k.textHiddenSize()}, t.entry().shape());
      assertArrayEquals(EcDtype.BF16.encode(want.values()), t.data());
      assertThrows(
          IllegalArgumentException.class,
          () -> tier.prepare(image, EcDtype.BF16, VlmOutput.INLINE));
    }
  }
}
