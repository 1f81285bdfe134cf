package dev.vitrail.actors.worker;

import dev.vitrail.actors.fake.FakeTower;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake tower with a device of {@code capacity} patches: a call whose inputs hold more patches
 * throws what libtorch's {@code c10::OutOfMemoryError} looks like from Java; otherwise it computes
 * {@link FakeTower#compute}.
 */
final class OomTower implements FeatureEncoder {
  static final String MESSAGE =
      "CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.10 GiB"
          + " of which 1.20 GiB is free.\nException raised from malloc at CUDACachingAllocator.cpp";

  private final long capacity;
  final List<Integer> callSizes = new CopyOnWriteArrayList<>();
  final AtomicInteger releases = new AtomicInteger();
  final AtomicInteger closes = new AtomicInteger();

  OomTower(long capacity) {
    this.capacity = capacity;
  }

  @Override
  public String family() {
    return "fake-oom";
  }

  @Override
  public List<FeatureOutput> encode(List<PixelInput> batch, FeatureSpec spec) {
    callSizes.add(batch.size());
    long patches = batch.stream().mapToLong(PixelInput::patchRows).sum();
    if (patches > capacity) {
      throw new RuntimeException(MESSAGE);
    }
    return batch.stream().map(in -> FakeTower.compute(in, spec)).toList();
  }

  @Override
  public void releaseCachedMemory() {
    releases.incrementAndGet();
  }

  @Override
  public void close() {
    closes.incrementAndGet();
  }
}
