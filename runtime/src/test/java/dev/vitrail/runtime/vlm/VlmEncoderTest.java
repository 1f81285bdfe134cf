package dev.vitrail.runtime.vlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.config.hf.Qwen25VisionConfig;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.info.Qwen2VlEncoderInfo;
import dev.vitrail.encoders.preprocess.Qwen2VlProcessor;
import dev.vitrail.encoders.preprocess.Qwen2VlSettings;
import dev.vitrail.runtime.api.EncodeRequest;
import dev.vitrail.runtime.api.VitrailTestSettings;
import dev.vitrail.runtime.golden.Fixtures;
import dev.vitrail.runtime.http.TestImages;
import dev.vitrail.runtime.model.ServedModel;
import java.nio.file.Files;
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

/** The tier over Qwen2.5-VL-tiny: files and content parts hold the embedded API's image_embeds. */
@ExtendWith(LogCapturingExtension.class)
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class VlmEncoderTest {
  private static final Executor DIRECT = Runnable::run;
  @TempDir Path tmp;

  private static VlmSettings settings(Path dir, long maxTokens) {
    return new VlmSettings(dir, EcDtype.BF16, 0, Duration.ZERO, 0, 0, maxTokens);
  }

  private static List<VlmResult> run(VlmEncoder e, byte[] image, VlmOutput out) throws Exception {
    return e.encode(List.of(e.prepare(image, EcDtype.BF16, out)), out, DIRECT)
        .toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  @Test
  void filesAndContentPartsHoldTheEmbeddedApisImageEmbedsInBf16() throws Exception {
    Path modelDir = Fixtures.root().resolve("models/qwen2_5_vl-tiny");
    byte[] image = TestImages.png(150, 90, 12);
    try (ServedModel model = ServedModel.open(modelDir, null, VitrailTestSettings.of(""))) {
      VlmEncoder tier = VlmEncoder.open(model, settings(tmp.resolve("ec"), 0));
      FeatureOutput want =
          model
              .vitrail()
              .encode(
                  EncodeRequest.ofPixels(
                      "ref", List.of(model.processor().process(image)), FeatureSpec.defaults()))
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS)
              .features()
              .get(0);
      Qwen25VisionConfig q = (Qwen25VisionConfig) model.config();
      Qwen2VlSettings s = ((Qwen2VlProcessor) model.processor()).settings(); // the model's own
      long tokens =
          new Qwen2VlEncoderInfo(
                  s.patchSize(), s.mergeSize(), s.temporalPatchSize(), s.minPixels(), s.maxPixels())
              .numImageTokens(150, 90);

      VlmResult r = run(tier, image, VlmOutput.EC).get(0);
      assertFalse(r.cached());
      assertEquals(tokens, r.tokens());
      assertArrayEquals(new int[] {(int) tokens, q.outHiddenSize()}, want.shape());
      EcFiles.Tensor t = EcFiles.read(r.file());
      assertEquals("BF16", t.entry().dtype());
      assertArrayEquals(new long[] {tokens, q.outHiddenSize()}, t.entry().shape());
      assertArrayEquals(EcDtype.BF16.encode(want.values()), t.data());
      assertEquals(tier.store().path(r.key()), r.file());
      assertEquals(64, r.key().length());

      VlmEncoder.Prepared again = tier.prepare(image, EcDtype.BF16, VlmOutput.EC);
      assertTrue(again.cached(), "the key already has its file: no encoding");
      VlmResult hit = run(tier, image, VlmOutput.EC).get(0);
      assertTrue(hit.cached());
      assertEquals(r.key(), hit.key());

      VlmResult inline = run(tier, image, VlmOutput.INLINE).get(0);
      assertNull(inline.file());
      byte[] archive =
          Base64.getDecoder()
              .decode(inline.contentPart().get("image_embeds").get("image_embeds").asText());
      assertArrayEquals(
          EcDtype.BF16.encode(want.values()),
          InlineEmbedsTest.records(archive).get("archive/data/0"));
      assertEquals(r.key(), inline.contentPart().get("uuid").asText());
      assertFalse(
          r.key().equals(run(tier, TestImages.png(150, 90, 13), VlmOutput.EC).get(0).key()));
    }
  }

  @Test
  void aGridOverTheConsumersLimitWritesNothing() throws Exception {
    Path modelDir = Fixtures.root().resolve("models/qwen2_5_vl-tiny");
    try (ServedModel model = ServedModel.open(modelDir, null, VitrailTestSettings.of(""))) {
      VlmEncoder tier = VlmEncoder.open(model, settings(tmp.resolve("ec"), 10));
      EcLimitException e =
          assertThrows(
              EcLimitException.class,
              () -> tier.prepare(TestImages.png(150, 90, 1), EcDtype.BF16, VlmOutput.EC));
      assertTrue(e.getMessage().contains("over the consumer's limit of 10"), e.getMessage());
      assertEquals(List.of(), EcFiles.all(tmp.resolve("ec")));
      VlmEncoder inlineOnly = VlmEncoder.open(model, settings(null, 0));
      assertThrows(
          IllegalArgumentException.class,
          () -> inlineOnly.prepare(TestImages.png(20, 20, 1), EcDtype.BF16, VlmOutput.EC));
    }
  }

  @Test
  void otherFamiliesAreRefused() {
    try (ServedModel model =
        ServedModel.open(
            Fixtures.root().resolve("models/clip-tiny"), null, VitrailTestSettings.of(""))) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> VlmEncoder.open(model, settings(null, 0)));
      assertTrue(e.getMessage().contains("qwen2_5_vl"), e.getMessage());
      assertFalse(Files.exists(tmp.resolve("ec")));
    }
  }
}
