package dev.vitrail.runtime.api;

import dev.vitrail.actors.balance.CostModel;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test tower whose batch takes {@code model.cost(patches)} nanoseconds on a test clock (it
 * advances {@code clock} instead of sleeping, so that a loaded machine's late wake-ups are not
 * measured) and returns two numbers per image.
 */
final class ClockedTower implements FeatureEncoder {
  private final CostModel model;
  private final AtomicLong clock;

  ClockedTower(CostModel model, AtomicLong clock) {
    this.model = model;
    this.clock = clock;
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
    clock.addAndGet(Math.round(cost));
    List<FeatureOutput> out = new ArrayList<>(batch.size());
    for (PixelInput in : batch) {
      out.add(new FeatureOutput(new float[] {in.values()[0], in.patchRows()}, new int[] {1, 2}));
    }
    return out;
  }

  @Override
  public void close() {}
}
