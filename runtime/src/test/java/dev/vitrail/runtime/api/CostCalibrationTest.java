package dev.vitrail.runtime.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vitrail.actors.balance.CostModel;
import dev.vitrail.actors.worker.EncoderFactory;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CostCalibrationTest {
  private static PixelInput patches(int rows) {
    return new PixelInput(new float[rows], new int[] {rows, 1}, new int[] {1, 1, rows});
  }

  @Test
  void recoversTheQuadraticShareOfASimulatedTower() throws Exception {
    // Truth, in ns: 20 µs per patch plus 20 ns per attending pair, on a test clock the tower
    // advances (sleeping, the fit measured a loaded machine's wake-ups: b/a off by half at load
    // 15-20). One repeat of each sample stalls 50 ms more, as a late wake-up: the fastest counts.
    CostModel truth = CostModel.fullAttention(20_000, 20);
    AtomicLong clock = new AtomicLong();
    EncoderFactory stalling =
        w ->
            new FeatureEncoder() {
              private final ClockedTower tower = new ClockedTower(truth, clock);
              private int calls;

              @Override
              public String family() {
                return tower.family();
              }

              @Override
              public List<FeatureOutput> encode(List<PixelInput> batch, FeatureSpec spec) {
                if (++calls % 3 == 0) { // a warm-up and 3 repeats per sample: 1 repeat of each
                  clock.addAndGet(50_000_000);
                }
                return tower.encode(batch, spec);
              }

              @Override
              public void close() {}
            };
    List<PixelInput> samples = List.of(patches(256), patches(1024), patches(2048), patches(4096));
    CostModel fitted =
        CostCalibration.calibrate(stalling, samples, CostModel.fullAttention(1, 0), 3, clock::get);
    // Ratio b/a is what the cost policy uses.
    double ratio = fitted.perPatchSquared() / fitted.perPatch();
    assertEquals(1e-3, ratio, 1e-8, "fitted b/a " + ratio);
    assertEquals(20e-6, fitted.perPatch(), 1e-9, "seconds per patch");
    try (Vitrail v =
        Vitrail.start(
            VitrailTestSettings.of("vitrail.balance.policy = cost"),
            w -> new ClockedTower(truth, new AtomicLong()),
            null,
            fitted)) {
      assertEquals(
          1,
          v.encode(EncodeRequest.ofPixels("c", List.of(patches(64)), FeatureSpec.defaults()))
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS)
              .features()
              .size());
    }
    assertThrows(
        IllegalArgumentException.class,
        () ->
            CostCalibration.calibrate(
                w -> new ClockedTower(truth, clock), List.of(patches(4)), truth, 1));
  }
}
