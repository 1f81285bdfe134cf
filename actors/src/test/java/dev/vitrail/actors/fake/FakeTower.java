package dev.vitrail.actors.fake;

import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.util.ArrayList;
import java.util.List;

/**
 * A tower computing an exact function of the pixels on the heap, with faults chosen by marker
 * values in {@code values[0]} (see {@link Faults}).
 *
 * <p>Patch-row inputs {@code [N, D]} give {@code [N / 4, 2]}: per group of 4 rows, the sum and the
 * position-weighted sum of its values (a stand-in for a 2×2 spatial merge). Fixed-size inputs
 * {@code [3, H, W]} give {@code [1, 3]}: per-channel sums. The spec's first select layer, when
 * present, is added to every value so that different specs give different features.
 */
public final class FakeTower implements FeatureEncoder {
  private final int worker;
  private final Faults faults;

  /** A tower for {@code worker} sharing {@code faults} with the test. */
  public FakeTower(int worker, Faults faults) {
    this.worker = worker;
    this.faults = faults;
  }

  @Override
  public String family() {
    return "fake";
  }

  @Override
  public List<FeatureOutput> encode(List<PixelInput> batch, FeatureSpec spec) {
    faults.recordCall(worker, batch.size(), Thread.currentThread().getName());
    List<FeatureOutput> out = new ArrayList<>();
    for (PixelInput in : batch) {
      faults.beforeItem(in);
      out.add(compute(in, spec));
    }
    return out;
  }

  /** The exact features of one input, as a direct call computes them. */
  public static FeatureOutput compute(PixelInput in, FeatureSpec spec) {
    float offset = spec.selectLayers().isEmpty() ? 0 : spec.selectLayers().get(0);
    float[] v = in.values();
    if (in.gridThw() != null) {
      int rows = in.shape()[0];
      int dim = in.shape()[1];
      int groups = rows / 4;
      float[] o = new float[groups * 2];
      for (int g = 0; g < groups; g++) {
        float sum = 0;
        float weighted = 0;
        for (int k = 0; k < 4 * dim; k++) {
          float x = v[(4 * g) * dim + k];
          sum += x;
          weighted += x * (k + 1);
        }
        o[2 * g] = sum + offset;
        o[2 * g + 1] = weighted + offset;
      }
      return new FeatureOutput(o, new int[] {groups, 2});
    }
    int plane = v.length / 3;
    float[] o = new float[3];
    for (int c = 0; c < 3; c++) {
      for (int k = 0; k < plane; k++) {
        o[c] += v[c * plane + k];
      }
      o[c] += offset;
    }
    return new FeatureOutput(o, new int[] {1, 3});
  }

  @Override
  public void close() {
    faults.recordClose(worker);
  }
}
