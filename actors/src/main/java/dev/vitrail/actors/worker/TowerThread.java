package dev.vitrail.actors.worker;

import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.tensor.OutOfMemory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The single dedicated thread on which one worker's tower is opened, run and closed, so native
 * calls never run on Pekko's dispatchers. The tower is opened by the first task on that thread.
 */
final class TowerThread implements AutoCloseable {
  private final ExecutorService executor;
  private final EncoderFactory factory;
  private final int worker;
  private final CoreGate gate;
  private FeatureEncoder encoder; // touched only on the executor's thread

  TowerThread(int worker, EncoderFactory factory, CoreGate gate) {
    this.worker = worker;
    this.gate = gate;
    this.factory = factory;
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "vitrail-tower-" + worker);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Runs one batch on the tower thread; a batch that runs out of device memory is split and retried
   * ({@link OomSplit}), so the result may hold per-item errors. The call runs under a lease of the
   * worker's {@link CoreGate} (as many threads as it grants).
   */
  CompletableFuture<OomSplit.Result<FeatureOutput>> encode(
      List<PixelInput> batch, FeatureSpec spec) {
    return CompletableFuture.supplyAsync(
        () -> {
          if (encoder == null) {
            // not beside another worker's wide call: opening resets the thread pools
            try (CoreGate.Lease opening = gate.acquireOneCore(worker)) {
              encoder = factory.open(worker);
            }
          }
          FeatureEncoder tower = encoder;
          long patches = batch.stream().mapToLong(PixelInput::patchRows).sum();
          try (CoreGate.Lease lease = gate.acquire(worker, patches)) {
            return new OomSplit<PixelInput, FeatureOutput>(
                    part -> tower.encode(part, spec),
                    OutOfMemory::is,
                    tower::releaseCachedMemory,
                    PixelInput::patchRows)
                .run(batch);
          }
        },
        executor);
  }

  /**
   * Closes the tower on its thread and waits up to {@code limit} for it (the worker has stopped for
   * good, so its tower must be freed before the caller goes on).
   */
  void closeAndWait(Duration limit) {
    close(false);
    try {
      executor.awaitTermination(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Closes the tower on its thread, then stops the thread. With {@code hung} the thread is
   * interrupted and abandoned instead (its tower cannot be closed while a call is stuck in it).
   */
  @Override
  public void close() {
    close(false);
  }

  void close(boolean hung) {
    if (executor.isShutdown()) {
      return;
    }
    if (hung) {
      executor.shutdownNow();
      return;
    }
    executor.execute(
        () -> {
          if (encoder != null) {
            encoder.close();
            encoder = null;
          }
        });
    executor.shutdown();
  }
}
