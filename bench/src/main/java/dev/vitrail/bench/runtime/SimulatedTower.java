package dev.vitrail.bench.runtime;

import dev.vitrail.actors.balance.CostModel;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A tower whose compute time comes from a cost model: it either sleeps (a device the CPU waits on)
 * or spins (CPU work) for {@code nanosPerCost × cost / speed} per batch, and returns tiny features.
 */
public final class SimulatedTower implements FeatureEncoder {
  private final CostModel model;
  private final double nanosPerCost;
  private final double speed;
  private final boolean spin;

  /** A simulated device. */
  public SimulatedTower(CostModel model, double nanosPerCost, double speed, boolean spin) {
    this.model = model;
    this.nanosPerCost = nanosPerCost;
    this.speed = speed;
    this.spin = spin;
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
    long nanos = (long) (nanosPerCost * cost / speed);
    if (spin) {
      long end = System.nanoTime() + nanos;
      while (System.nanoTime() < end) {
        Thread.onSpinWait();
      }
    } else {
      LockSupport.parkNanos(nanos);
    }
    List<FeatureOutput> out = new ArrayList<>(batch.size());
    for (PixelInput in : batch) {
      out.add(new FeatureOutput(new float[] {in.values()[0], in.patchRows()}, new int[] {1, 2}));
    }
    return out;
  }

  @Override
  public void close() {}
}
