package dev.vitrail.runtime.http;

import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A tower whose calls wait while it is held (60 s at most), counting calls and the items it
 * encoded; each item's features come from {@code output}. For the client-gone tests.
 */
final class HeldTower implements FeatureEncoder {
  final AtomicBoolean held = new AtomicBoolean(true);
  final AtomicInteger calls = new AtomicInteger();
  final AtomicInteger encoded = new AtomicInteger();
  private final String family;
  private final Function<PixelInput, FeatureOutput> output;

  HeldTower(String family, Function<PixelInput, FeatureOutput> output) {
    this.family = family;
    this.output = output;
  }

  @Override
  public String family() {
    return family;
  }

  @Override
  public List<FeatureOutput> encode(List<PixelInput> batch, FeatureSpec spec) {
    calls.incrementAndGet();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (held.get() && System.nanoTime() < end) {
      sleep(5);
    }
    encoded.addAndGet(batch.size());
    return batch.stream().map(output).toList();
  }

  @Override
  public void close() {}

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
