package dev.vitrail.runtime.api;

import dev.vitrail.actors.balance.CostModel;
import dev.vitrail.actors.worker.EncoderFactory;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A short start-up calibration of the {@code cost} policy's coefficients: times one tower on sample
 * inputs of different sizes and fits a and b of the cost model by least squares.
 */
public final class CostCalibration {
  private CostCalibration() {}

  /**
   * Opens a tower with {@code towers} (as worker 0), encodes each sample alone {@code repeats}
   * times after one warm-up call, and fits {@code shape}'s coefficients to the fastest times
   * (keeping its window and full-attention share).
   *
   * @param samples at least two inputs of different patch counts, in the tower's input format
   */
  public static CostModel calibrate(
      EncoderFactory towers, List<PixelInput> samples, CostModel shape, int repeats) {
    return calibrate(towers, samples, shape, repeats, System::nanoTime);
  }

  /** As the public one, timing the calls with {@code clock} (nanoseconds; tests). */
  static CostModel calibrate(
      EncoderFactory towers,
      List<PixelInput> samples,
      CostModel shape,
      int repeats,
      LongSupplier clock) {
    if (samples.size() < 2 || repeats < 1) {
      throw new IllegalArgumentException(
          "calibration needs >= 2 samples and >= 1 repeat, got "
              + samples.size()
              + " and "
              + repeats);
    }
    long[] patches = new long[samples.size()];
    double[] seconds = new double[samples.size()];
    try (FeatureEncoder tower = towers.open(0)) {
      for (int i = 0; i < samples.size(); i++) {
        List<PixelInput> one = List.of(samples.get(i));
        tower.encode(one, FeatureSpec.defaults());
        long best = Long.MAX_VALUE;
        for (int r = 0; r < repeats; r++) {
          long start = clock.getAsLong();
          tower.encode(one, FeatureSpec.defaults());
          best = Math.min(best, clock.getAsLong() - start);
        }
        patches[i] = samples.get(i).patchRows();
        seconds[i] = best / 1e9;
      }
    }
    return shape.fit(patches, seconds);
  }
}
