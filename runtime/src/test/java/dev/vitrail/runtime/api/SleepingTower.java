package dev.vitrail.runtime.api;

import dev.vitrail.actors.balance.CostModel;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A test tower that sleeps {@code model.cost(patches)} nanoseconds per batch (a device the CPU
 * waits on, robust to CPU load) and returns two numbers per image.
 */
final class SleepingTower implements FeatureEncoder {
  private final CostModel model;

  SleepingTower(CostModel model) {
    this.model = model;
  }

  @Override
  public String family() {
    return "simulated";
  }

  @Override
  public List<FeatureOutput> encode(List<PixelInput> batch, FeatureSpec spec) {
    double cost = 0;
    for (PixelInput in : batch) {
      cost += model.cost(in.patchRows());
    }
    LockSupport.parkNanos((long) cost);
    List<FeatureOutput> out = new ArrayList<>(batch.size());
    for (PixelInput in : batch) {
      out.add(new FeatureOutput(new float[] {in.values()[0], in.patchRows()}, new int[] {1, 2}));
    }
    return out;
  }

  @Override
  public void close() {}
}
