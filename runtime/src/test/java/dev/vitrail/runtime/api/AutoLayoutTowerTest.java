package dev.vitrail.runtime.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.actors.worker.CoreGate;
import dev.vitrail.config.settings.RuntimeSettings;
import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.runtime.golden.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code vitrail.workers.layout = auto} on the real CLIP-tiny tower: one request at a time runs on
 * every core (OpenBLAS widened for the call) and on one core, a burst of requests runs on
 * single-thread towers, and every feature equals a direct tower call's.
 */
@ExtendWith(LogCapturingExtension.class)
class AutoLayoutTowerTest {
  private static final Path MODEL = Fixtures.root().resolve("models/clip-tiny");

  @Test
  void wideAndSingleThreadCallsGiveTheFeaturesOfADirectCall() throws Exception {
    List<PixelInput> images = RandomPixels.of(MODEL, 12, 5);
    FeatureSpec spec = FeatureSpec.defaults();
    LibtorchTowers.configureThreads(1, 1);
    List<FeatureOutput> direct = new ArrayList<>();
    try (FeatureEncoder tower = FeatureEncoders.open(MODEL, EncoderOptions.cpu())) {
      for (PixelInput img : images) {
        direct.add(tower.encode(List.of(img), spec).get(0));
      }
    }
    RuntimeSettings settings =
        VitrailTestSettings.of("vitrail.workers { layout = auto, cores = 2, batch-limit = 3 }");
    assertEquals(2, settings.workers());
    double worst = 0;
    try (Vitrail v =
        Vitrail.start(
            settings,
            LibtorchTowers.of(
                MODEL,
                settings.devices(),
                settings.computeDtype(),
                settings.torchThreads(),
                settings.blasThreads()))) {
      // One image at a time: the worker holding it is alone with work.
      for (int i = 0; i < 4; i++) {
        List<FeatureOutput> got = encode(v, List.of(images.get(i))).get(60, TimeUnit.SECONDS);
        worst = Math.max(worst, maxAbs(direct.get(i), got.get(0)));
      }
      // each width is tried once (wide first), then the faster one on this machine runs
      CoreGate.Counts alone = v.layoutCalls();
      assertTrue(alone.wide() >= 1 && alone.narrow() >= 1, "alone: " + alone);
      assertEquals(4, alone.wide() + alone.narrow());
      // Four requests of three images at once: both workers hold work.
      List<CompletableFuture<List<FeatureOutput>>> burst = new ArrayList<>();
      for (int r = 0; r < 4; r++) {
        burst.add(encode(v, images.subList(3 * r, 3 * r + 3)));
      }
      for (int r = 0; r < 4; r++) {
        List<FeatureOutput> got = burst.get(r).get(60, TimeUnit.SECONDS);
        assertEquals(3, got.size());
        for (int i = 0; i < 3; i++) {
          worst = Math.max(worst, maxAbs(direct.get(3 * r + i), got.get(i)));
        }
      }
      CoreGate.Counts after = v.layoutCalls();
      assertTrue(after.narrow() > 0, "single-thread calls under load: " + after);
    }
    System.out.println("CLIP-tiny, layout = auto vs direct: max abs difference " + worst);
    // Batches of different sizes and thread counts may round differently in the GEMMs.
    assertTrue(worst <= 1e-5, "max abs difference " + worst);
  }

  private static CompletableFuture<List<FeatureOutput>> encode(Vitrail v, List<PixelInput> in) {
    return v.encode(EncodeRequest.ofPixels("clip", in, FeatureSpec.defaults()))
        .toCompletableFuture()
        .thenApply(EncodeResult::features);
  }

  private static double maxAbs(FeatureOutput want, FeatureOutput got) {
    assertArrayEquals(want.shape(), got.shape());
    double m = 0;
    for (int i = 0; i < want.values().length; i++) {
      m = Math.max(m, Math.abs(want.values()[i] - got.values()[i]));
    }
    return m;
  }
}
