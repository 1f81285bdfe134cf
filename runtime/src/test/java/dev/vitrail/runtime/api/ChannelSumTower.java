package dev.vitrail.runtime.api;

import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A heap-only test tower: per-channel sums of a {@code [3, H, W]} image (features {@code [1, 3]}),
 * sleeping {@code nanosPerBatch} per call to play a slow device.
 */
public final class ChannelSumTower implements FeatureEncoder {
  private final long nanosPerBatch;
  private final AtomicLong items;

  /** A tower that counts encoded items into {@code items}. */
  public ChannelSumTower(long nanosPerBatch, AtomicLong items) {
    this.nanosPerBatch = nanosPerBatch;
    this.items = items;
  }

  @Override
  public String family() {
    return "channel-sum";
  }

  @Override
  public List<FeatureOutput> encode(List<PixelInput> batch, FeatureSpec spec) {
    if (nanosPerBatch > 0) {
      LockSupport.parkNanos(nanosPerBatch);
    }
    List<FeatureOutput> out = new ArrayList<>();
    for (PixelInput in : batch) {
      out.add(compute(in));
    }
    items.addAndGet(batch.size());
    return out;
  }

  /** The exact features a direct call gives. */
  public static FeatureOutput compute(PixelInput in) {
    float[] v = in.values();
    int plane = v.length / 3;
    float[] o = new float[3];
    for (int c = 0; c < 3; c++) {
      for (int k = 0; k < plane; k++) {
        o[c] += v[c * plane + k];
      }
    }
    return new FeatureOutput(o, new int[] {1, 3});
  }

  /** A small image whose pixels are derived from {@code seed}. */
  public static PixelInput image(int seed, int side) {
    float[] v = new float[3 * side * side];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) ((seed * 31 + i * 7) % 13 - 6);
    }
    return new PixelInput(v, new int[] {3, side, side}, null);
  }

  @Override
  public void close() {}
}
