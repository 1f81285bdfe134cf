package dev.vitrail.bench.runtime;

import dev.vitrail.actors.balance.CostModel;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.runtime.api.EncodeRequest;
import dev.vitrail.runtime.api.Vitrail;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Scaling: images/s through the embedded flow with 1, 2, 4, 8 simulated workers (devices the CPU
 * waits on: each batch sleeps its cost-model time), mixed Qwen grids, {@code pull} policy.
 * Arguments: runs per worker count (default 3), milliseconds of device time per 1000 patches
 * (default 1.0), images per worker (default 300).
 */
public final class ScalingBench {
  private ScalingBench() {}

  /** Prints images/s and parallel efficiency per worker count. */
  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    double msPer1000 = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
    int perWorker = args.length > 2 ? Integer.parseInt(args[2]) : 300;
    CostModel model = CostModel.windowed(1, 1.3e-4, 64, 4, 32);
    run(2, 200, model, msPer1000 * 1e3); // warm-up (JIT)
    System.out.println(
        "| workers | images | images/s (median of " + runs + ") | vs 1 worker | device busy |");
    System.out.println("|---|---|---|---|---|");
    double base = 0;
    for (int n : new int[] {1, 2, 4, 8}) {
      double[] rates = new double[runs];
      int images = perWorker * n;
      for (int r = 0; r < runs; r++) {
        rates[r] = run(n, images, model, msPer1000 * 1e3);
      }
      Arrays.sort(rates);
      double median = rates[runs / 2];
      if (n == 1) {
        base = median;
      }
      // Device busy: the simulated device time of the images ÷ (workers × wall time).
      double deviceSeconds =
          Arrays.stream(model.costs(QwenGrids.patches(new Random(9), images))).sum()
              * msPer1000
              * 1e3
              / 1e9;
      double wall = images / median;
      System.out.println(
          String.format(
              Locale.ROOT,
              "| %d | %d | %.1f | %.3f | %.3f |",
              n,
              images,
              median,
              median / (n * base),
              deviceSeconds / (n * wall)));
    }
  }

  private static double run(int workers, int images, CostModel model, double nanosPerPatch)
      throws Exception {
    Random rnd = new Random(9);
    long[] patches = QwenGrids.patches(rnd, images);
    List<PixelInput> inputs = new ArrayList<>();
    for (long p : patches) {
      // Only the patch count matters to the simulated tower: one value per patch row.
      inputs.add(
          new PixelInput(new float[(int) p], new int[] {(int) p, 1}, new int[] {1, 1, (int) p}));
    }
    String hocon =
        "vitrail { workers { count = "
            + workers
            + ", batch-limit = 4 }, balance.policy = pull,"
            + " stream.max-in-flight-requests = "
            + (16 * workers)
            + ", admission.max-in-flight-items = 100000 }";
    try (Vitrail v =
        Vitrail.start(
            BenchSettings.of(hocon), w -> new SimulatedTower(model, nanosPerPatch, 1.0, false))) {
      long start = System.nanoTime();
      long done =
          Source.from(inputs)
              .map(in -> EncodeRequest.ofPixels("x", List.of(in), FeatureSpec.defaults()))
              .via(v.unorderedFlow())
              .runWith(Sink.fold(0L, (k, res) -> k + res.features().size()), v.system())
              .toCompletableFuture()
              .get(10, TimeUnit.MINUTES);
      double seconds = (System.nanoTime() - start) / 1e9;
      if (done != images) {
        throw new IllegalStateException("encoded " + done + " of " + images);
      }
      return images / seconds;
    }
  }
}
