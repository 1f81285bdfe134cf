package dev.vitrail.bench.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrail.actors.balance.CostModel;
import dev.vitrail.actors.worker.EncoderFactory;
import dev.vitrail.bench.encoders.RandomCheckpoint;
import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.runtime.api.EncodeRequest;
import dev.vitrail.runtime.api.LibtorchTowers;
import dev.vitrail.runtime.api.Vitrail;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Overhead: images/s through the embedded ordered flow (one worker, requests of one batch) ÷ a bare
 * loop calling the same tower with the same batch size, alternating runs. Arguments: runs (default
 * 5), batches per run (default 200), and optionally {@code sleep} (a simulated device sleeping 0.5
 * ms per image), a model directory (e.g. CLIP-tiny) for the real tower, or a {@code config.json}
 * (e.g. ViT-B/16) whose tower gets random weights; without it, a tower spinning 0.5 ms of CPU per
 * image. Also prints process CPU time per image of both modes.
 */
public final class OverheadBench {
  private static final int BATCH = 8;

  private OverheadBench() {}

  /** Prints the bare and flow rates per run and the median ratio. */
  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int batches = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    Supplier<FeatureEncoder> tower;
    int side;
    if (args.length > 2 && args[2].equals("sleep")) {
      // A device the CPU waits on: 0.5 ms per image, sleeping.
      tower = () -> new SimulatedTower(CostModel.linear(), 500_000.0 / 64, 1.0, false);
      side = 8;
    } else if (args.length > 2) {
      Path model = modelDir(args[2]);
      LibtorchTowers.configureThreads(1, 1);
      tower = () -> FeatureEncoders.open(model, EncoderOptions.cpu());
      side = sideOf(model);
    } else {
      // 0.5 ms per image: cost = patches (64 for an 8x8 image), 7812.5 ns per unit.
      tower = () -> new SimulatedTower(CostModel.linear(), 500_000.0 / 64, 1.0, true);
      side = 8;
    }
    Random rnd = new Random(1);
    List<PixelInput> batch = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      float[] v = new float[3 * side * side];
      for (int k = 0; k < v.length; k++) {
        v[k] = (float) rnd.nextGaussian();
      }
      batch.add(new PixelInput(v, new int[] {3, side, side}, null));
    }
    double[] ratios = new double[runs];
    double[] cpuOverhead = new double[runs];
    System.out.println(
        "| run | bare loop images/s | flow images/s | ratio | bare CPU µs/image | flow CPU µs/image |");
    System.out.println("|---|---|---|---|---|---|");
    EncoderFactory factory = w -> tower.get();
    String hocon =
        "vitrail { workers { count = 1, batch-limit = "
            + BATCH
            + " }, stream.max-in-flight-requests = 4 }";
    try (Vitrail v = Vitrail.start(BenchSettings.of(hocon), factory);
        FeatureEncoder bare = tower.get()) {
      bareLoop(bare, batch, batches / 4);
      flow(v, batch, batches / 4);
      int images = batches * BATCH;
      for (int r = 0; r < runs; r++) {
        long c0 = cpuNanos();
        double b = bareLoop(bare, batch, batches);
        long c1 = cpuNanos();
        double f = flow(v, batch, batches);
        long c2 = cpuNanos();
        ratios[r] = f / b;
        cpuOverhead[r] = ((c2 - c1) - (c1 - c0)) / 1e3 / images;
        System.out.println(
            String.format(
                Locale.ROOT,
                "| %d | %.1f | %.1f | %.3f | %.1f | %.1f |",
                r + 1,
                b,
                f,
                ratios[r],
                (c1 - c0) / 1e3 / images,
                (c2 - c1) / 1e3 / images));
      }
    }
    Arrays.sort(ratios);
    Arrays.sort(cpuOverhead);
    System.out.println(
        String.format(
            Locale.ROOT,
            "median ratio %.3f; median extra CPU per image in the flow %.1f µs",
            ratios[runs / 2],
            cpuOverhead[runs / 2]));
  }

  /**
   * A model directory, or a {@code config.json} file given random weights in a temporary directory.
   */
  private static Path modelDir(String arg) throws Exception {
    Path path = Path.of(arg);
    if (!arg.endsWith(".json")) {
      return path;
    }
    String json = Files.readString(path);
    Path dir = Files.createTempDirectory("vitrail-overhead-");
    RandomCheckpoint.write(dir, json, HfConfigs.parse(json), 1);
    return dir;
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static int sideOf(Path model) throws Exception {
    return new ObjectMapper()
        .readTree(model.resolve("config.json").toFile())
        .get("image_size")
        .asInt();
  }

  private static double bareLoop(FeatureEncoder tower, List<PixelInput> batch, int batches) {
    long start = System.nanoTime();
    for (int k = 0; k < batches; k++) {
      tower.encode(batch, FeatureSpec.defaults());
    }
    return batches * batch.size() / ((System.nanoTime() - start) / 1e9);
  }

  private static double flow(Vitrail v, List<PixelInput> batch, int batches) throws Exception {
    long start = System.nanoTime();
    long n =
        Source.range(1, batches)
            .map(i -> EncodeRequest.ofPixels("b" + i, batch, FeatureSpec.defaults()))
            .via(v.flow())
            .runWith(Sink.fold(0L, (k, r) -> k + r.features().size()), v.system())
            .toCompletableFuture()
            .get(10, TimeUnit.MINUTES);
    return n / ((System.nanoTime() - start) / 1e9);
  }
}
