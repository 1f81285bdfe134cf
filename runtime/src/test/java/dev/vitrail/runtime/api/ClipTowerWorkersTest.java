package dev.vitrail.runtime.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.runtime.golden.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** N CPU workers on the real CLIP-tiny tower give the features of a direct tower call. */
@ExtendWith(LogCapturingExtension.class)
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class ClipTowerWorkersTest {
  private static final Path MODEL = Fixtures.root().resolve("models/clip-tiny");

  @Test
  void oneToFourWorkersMatchADirectCall() throws Exception {
    List<PixelInput> images = RandomPixels.of(MODEL, 10, 21);
    List<FeatureSpec> specs =
        List.of(FeatureSpec.defaults(), new FeatureSpec(List.of(-2), "full", true, false));
    LibtorchTowers.configureThreads(1, 1);
    List<List<FeatureOutput>> direct = new ArrayList<>();
    try (FeatureEncoder tower = FeatureEncoders.open(MODEL, EncoderOptions.cpu())) {
      for (FeatureSpec spec : specs) {
        List<FeatureOutput> one = new ArrayList<>();
        for (PixelInput img : images) {
          one.add(tower.encode(List.of(img), spec).get(0));
        }
        direct.add(one);
      }
    }
    double worst = 0;
    for (int workers = 1; workers <= 4; workers++) {
      String hocon = "vitrail.workers { count = " + workers + ", batch-limit = 3 }";
      try (Vitrail v =
          Vitrail.start(
              VitrailTestSettings.of(hocon),
              LibtorchTowers.of(MODEL, Collections.nCopies(workers, "cpu"), "f32", 1, 1))) {
        for (int s = 0; s < specs.size(); s++) {
          List<FeatureOutput> got =
              v.encode(EncodeRequest.ofPixels("clip", images, specs.get(s)))
                  .toCompletableFuture()
                  .get(60, TimeUnit.SECONDS)
                  .features();
          for (int i = 0; i < images.size(); i++) {
            FeatureOutput want = direct.get(s).get(i);
            assertArrayEquals(want.shape(), got.get(i).shape());
            worst = Math.max(worst, maxAbs(want.values(), got.get(i).values()));
          }
        }
      }
    }
    // Batches of different sizes may round differently in the GEMMs; nothing else may differ.
    System.out.println("CLIP-tiny, 1..4 workers vs direct: max abs difference " + worst);
    assertTrue(worst <= 1e-5, "max abs difference " + worst);
  }

  private static double maxAbs(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
