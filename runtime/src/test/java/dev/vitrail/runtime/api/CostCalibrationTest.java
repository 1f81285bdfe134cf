package dev.vitrail.runtime.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vitrail.actors.balance.CostModel;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CostCalibrationTest {
  private static PixelInput patches(int rows) {
    return new PixelInput(new float[rows], new int[] {rows, 1}, new int[] {1, 1, rows});
  }

  @Test
  void recoversTheQuadraticShareOfASimulatedTower() throws Exception {
    // Truth, in ns: 20 µs per patch plus 20 ns per attending pair (sleeping: robust to CPU load).
    // The smallest sample sleeps ~6 ms, so a loaded machine's late wake-ups stay small against it
    // (at 2 µs per patch its 0.6 ms was skewed enough to fail 2 of 4 runs at load 13-19).
    CostModel truth = CostModel.fullAttention(20_000, 20);
    List<PixelInput> samples = List.of(patches(256), patches(1024), patches(2048), patches(4096));
    CostModel fitted =
        CostCalibration.calibrate(
            w -> new SleepingTower(truth), samples, CostModel.fullAttention(1, 0), 3);
    // Ratio b/a is what the cost policy uses; sleeping overshoots a little, so allow 25%.
    double ratio = fitted.perPatchSquared() / fitted.perPatch();
    assertEquals(1e-3, ratio, 0.25e-3, "fitted b/a " + ratio);
    try (Vitrail v =
        Vitrail.start(
            VitrailTestSettings.of("vitrail.balance.policy = cost"),
            w -> new SleepingTower(truth),
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
                w -> new SleepingTower(truth), List.of(patches(4)), truth, 1));
  }
}
