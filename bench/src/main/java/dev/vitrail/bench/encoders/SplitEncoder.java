package dev.vitrail.bench.encoders;

import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Data parallelism inside one process, as Vitrail's workers run: {@code n} towers opened from the
 * same checkpoint (the memory-mapped weights are shared through the page cache), each pinned to its
 * own thread, each encoding a contiguous slice of the batch.
 */
final class SplitEncoder implements FeatureEncoder {
  private final List<FeatureEncoder> towers = new ArrayList<>();
  private final List<ExecutorService> threads = new ArrayList<>();

  SplitEncoder(Path dir, int n, EncoderOptions options) {
    for (int i = 0; i < n; i++) {
      threads.add(Executors.newSingleThreadExecutor());
      towers.add(FeatureEncoders.open(dir, options));
    }
  }

  @Override
  public String family() {
    return towers.get(0).family();
  }

  @Override
  public List<FeatureOutput> encode(List<PixelInput> batch, FeatureSpec spec) {
    int n = towers.size();
    List<Future<List<FeatureOutput>>> parts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<PixelInput> slice = batch.subList(batch.size() * i / n, batch.size() * (i + 1) / n);
      FeatureEncoder tower = towers.get(i);
      parts.add(
          threads.get(i).submit(() -> slice.isEmpty() ? List.of() : tower.encode(slice, spec)));
    }
    List<FeatureOutput> out = new ArrayList<>();
    try {
      for (Future<List<FeatureOutput>> f : parts) {
        out.addAll(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a worker failed", e.getCause());
    }
    return out;
  }

  @Override
  public void close() {
    threads.forEach(ExecutorService::shutdown);
    towers.forEach(FeatureEncoder::close);
  }
}
