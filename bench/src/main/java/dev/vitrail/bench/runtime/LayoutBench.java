package dev.vitrail.bench.runtime;

import com.sun.management.OperatingSystemMXBean;
import com.typesafe.config.ConfigFactory;
import dev.vitrail.actors.worker.CoreGate;
import dev.vitrail.bench.encoders.RandomCheckpoint;
import dev.vitrail.config.hf.ClipVisionConfig;
import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.settings.RuntimeSettings;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Worker layouts side by side on a real CLIP/SigLIP-shaped tower with random weights: latency of
 * one image at a time (concurrency 1) and images/s with 8 clients each sending one image at a time
 * (concurrency 8), with process CPU time per image, for each {@code vitrail.workers.layout};
 * layouts alternate within each round and the table shows medians over rounds.
 *
 * <p>Usage: {@code LayoutBench CONFIG_JSON [layouts=one-wide,per-core,auto] [rounds=3]
 * [c1Requests=6] [c8Images=24] [cores=0] [dtype=f32]}.
 */
public final class LayoutBench {
  private static final OperatingSystemMXBean CPU =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private LayoutBench() {}

  /** One layout's figures in one round. */
  private record Run(double c1Ms, double c1CpuMs, double c8Rate, double c8CpuMs, String calls) {}

  public static void main(String[] args) throws Exception {
    String json = Files.readString(Path.of(args[0]));
    List<String> layouts =
        List.of((args.length > 1 ? args[1] : "one-wide,per-core,auto").split(","));
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int c1 = args.length > 3 ? Integer.parseInt(args[3]) : 6;
    int c8 = args.length > 4 ? Integer.parseInt(args[4]) : 24;
    int cores = args.length > 5 ? Integer.parseInt(args[5]) : 0;
    String dtype = args.length > 6 ? args[6] : "f32";
    ClipVisionConfig config = (ClipVisionConfig) HfConfigs.parse(json);
    Path dir = Files.createTempDirectory("vitrail-layout-");
    RandomCheckpoint.write(dir, json, config, 42);
    Random rnd = new Random(1);
    int s = config.imageSize();
    float[] v = new float[3 * s * s];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    PixelInput image = new PixelInput(v, new int[] {3, s, s}, null);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                      Files.deleteIfExists(f);
                    }
                    Files.deleteIfExists(dir);
                  } catch (java.io.IOException e) {
                    System.err.println("cannot delete " + dir + ": " + e);
                  }
                }));
    Map<String, List<Run>> runs = new LinkedHashMap<>();
    for (int r = 0; r < rounds; r++) {
      for (String layout : layouts) {
        Run run = run(dir, config, layout, cores, dtype, image, c1, c8);
        System.out.printf(Locale.ROOT, "round %d %s %s%n", r, layout, run);
        runs.computeIfAbsent(layout, k -> new ArrayList<>()).add(run);
      }
    }
    System.out.println(
        "| layout | c1 latency ms | c1 CPU ms/image | c8 images/s | c8 CPU ms/image | calls |");
    System.out.println("|---|---|---|---|---|---|");
    for (var e : runs.entrySet()) {
      List<Run> l = e.getValue();
      System.out.printf(
          Locale.ROOT,
          "| %s | %.0f | %.0f | %.2f | %.0f | %s |%n",
          e.getKey(),
          median(l.stream().mapToDouble(Run::c1Ms).toArray()),
          median(l.stream().mapToDouble(Run::c1CpuMs).toArray()),
          median(l.stream().mapToDouble(Run::c8Rate).toArray()),
          median(l.stream().mapToDouble(Run::c8CpuMs).toArray()),
          l.get(l.size() - 1).calls());
    }
  }

  private static Run run(
      Path dir,
      ClipVisionConfig config,
      String layout,
      int cores,
      String dtype,
      PixelInput image,
      int c1,
      int c8)
      throws Exception {
    RuntimeSettings read =
        RuntimeSettings.from(
            ConfigFactory.parseString(
                    "vitrail.workers { layout = "
                        + layout
                        + ", cores = "
                        + cores
                        + ", devices = cpu, batch-limit = 8, compute-dtype = "
                        + dtype
                        + " }")
                .withFallback(ConfigFactory.defaultReference())
                .resolve());
    RuntimeSettings settings = LibtorchTowers.forTower(read, config); // as served
    try (Vitrail v =
        Vitrail.start(
            settings,
            LibtorchTowers.of(
                dir,
                settings.devices(),
                settings.computeDtype(),
                settings.torchThreads(),
                settings.blasThreads()))) {
      // warm-up: open every tower, then one call alone
      CompletableFuture.allOf(
              encode(v, image), encode(v, image), encode(v, image), encode(v, image))
          .get();
      encode(v, image).get();
      CoreGate.Counts before = v.layoutCalls();
      double[] lat = new double[c1];
      long cpu0 = CPU.getProcessCpuTime();
      for (int i = 0; i < c1; i++) {
        long t0 = System.nanoTime();
        encode(v, image).get();
        lat[i] = (System.nanoTime() - t0) / 1e6;
      }
      double c1Cpu = (CPU.getProcessCpuTime() - cpu0) / 1e6 / c1;
      CoreGate.Counts mid = v.layoutCalls();
      AtomicInteger left = new AtomicInteger(c8);
      List<CompletableFuture<Void>> clients = new ArrayList<>();
      cpu0 = CPU.getProcessCpuTime();
      long t0 = System.nanoTime();
      for (int c = 0; c < 8; c++) {
        clients.add(client(v, image, left));
      }
      CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get();
      double wall = (System.nanoTime() - t0) / 1e9;
      double c8Cpu = (CPU.getProcessCpuTime() - cpu0) / 1e6 / c8;
      CoreGate.Counts end = v.layoutCalls();
      String calls =
          String.format(
              "c1 wide/narrow %d/%d, c8 %d/%d",
              mid.wide() - before.wide(),
              mid.narrow() - before.narrow(),
              end.wide() - mid.wide(),
              end.narrow() - mid.narrow());
      return new Run(median(lat), c1Cpu, c8 / wall, c8Cpu, calls);
    }
  }

  /** One client: sends one image, waits for it, sends the next, until none are left. */
  private static CompletableFuture<Void> client(Vitrail v, PixelInput image, AtomicInteger left) {
    if (left.getAndDecrement() <= 0) {
      return CompletableFuture.completedFuture(null);
    }
    return encode(v, image).thenCompose(done -> client(v, image, left));
  }

  private static CompletableFuture<Void> encode(Vitrail v, PixelInput image) {
    return v.encode(EncodeRequest.ofPixels("bench", List.of(image), FeatureSpec.defaults()))
        .toCompletableFuture()
        .thenApply(r -> null);
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v[v.length / 2];
  }
}
