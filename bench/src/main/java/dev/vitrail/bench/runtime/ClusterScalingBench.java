package dev.vitrail.bench.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.runtime.api.EncodeRequest;
import dev.vitrail.runtime.api.Vitrail;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Cluster scaling with simulated devices: the supervisor (this JVM, {@code cost} policy) with 1, 2
 * and 4 worker processes ({@link SimulatedWorkerNode}, one sleeping tower each) against one process
 * with one local device. The supervisor's own local worker is given speed 0.001 in the cluster
 * runs, so only the worker processes compute. Then kill -9 of one of two worker processes
 * mid-stream: the longest request time from the kill on (the stall). Arguments: runs (3), ms per
 * item (20), items per device (150), and {@code faults} to measure only the stall after SIGKILL,
 * SIGSTOP and SIGTERM of one of two worker processes (hedging after 300 ms, drain 5 s), optionally
 * followed by the signals to try (e.g. {@code KILL,STOP}). Per fault it prints the longest request
 * from the signal on, the items the faulted worker held, how many were hedged and how many were not
 * (re-dispatched when the failure detector removed the node).
 */
public final class ClusterScalingBench {
  private ClusterScalingBench() {}

  /** Prints a markdown table of images/s and parallel efficiency, then the recovery figures. */
  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    double ms = args.length > 1 ? Double.parseDouble(args[1]) : 20;
    int perDevice = args.length > 2 ? Integer.parseInt(args[2]) : 150;
    if (args.length > 3 && args[3].equals("faults")) {
      String[] signals =
          args.length > 4 ? args[4].split(",") : new String[] {"KILL", "STOP", "TERM"};
      for (String sig : signals) {
        try (WorkerProcesses nodes = new WorkerProcesses(2, ms)) {
          nodes.fault = sig;
          nodes.run(perDevice * 2, 0); // warm
          nodes.run(perDevice * 6, 1);
        }
      }
      return;
    }
    double base = median(runs, () -> local(ms, perDevice));
    System.out.println(
        "| worker processes | images | images/s (median of " + runs + ") | efficiency |");
    System.out.println("|---|---|---|---|");
    System.out.printf(
        Locale.ROOT, "| 0 (1 process, 1 local device) | %d | %.1f | 1.000 |%n", perDevice, base);
    for (int n : new int[] {1, 2, 4}) {
      try (WorkerProcesses nodes = new WorkerProcesses(n, ms)) {
        double rate = median(runs, () -> nodes.run(perDevice * n, 0));
        System.out.printf(
            Locale.ROOT, "| %d | %d | %.1f | %.3f |%n", n, perDevice * n, rate, rate / (n * base));
      }
    }
    try (WorkerProcesses nodes = new WorkerProcesses(2, ms)) {
      nodes.run(perDevice * 2, 0); // warm
      nodes.run(perDevice * 6, 1);
    }
  }

  interface Run {
    double rate() throws Exception;
  }

  private static double median(int runs, Run run) throws Exception {
    double[] r = new double[runs];
    for (int i = 0; i < runs; i++) {
      r[i] = run.rate();
    }
    Arrays.sort(r);
    return r[runs / 2];
  }

  private static double local(double ms, int images) throws Exception {
    try (Vitrail v =
        Vitrail.start(
            BenchSettings.of(
                "vitrail { workers { count = 1, batch-limit = 8, batch-wait = 0ms },"
                    + " balance.policy = cost, stream.max-in-flight-requests = 64 }"),
            w -> SimulatedWorkerNode.tower(ms))) {
      return stream(v, images, null);
    }
  }

  /** Streams single-image requests; with {@code nodes}, kills one worker after a third. */
  static double stream(Vitrail v, int images, WorkerProcesses kill) throws Exception {
    List<PixelInput> inputs = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      float[] px = new float[3 * 32 * 32];
      px[0] = i;
      inputs.add(new PixelInput(px, new int[] {3, 32, 32}, null));
    }
    long[] worst = {0};
    long[] count = {0};
    long start = System.nanoTime();
    long done =
        Source.from(inputs)
            // The request id carries its start time: the longest request time is the stall.
            .map(
                in ->
                    EncodeRequest.ofPixels(
                        Long.toString(System.nanoTime()), List.of(in), FeatureSpec.defaults()))
            .via(v.unorderedFlow())
            .runWith(
                Sink.fold(
                    0L,
                    (k, res) -> {
                      worst[0] = Math.max(worst[0], System.nanoTime() - Long.parseLong(res.id()));
                      if (kill != null && ++count[0] == images / 3) {
                        kill.faultOne();
                        worst[0] = 0; // from the signal on
                      }
                      return k + res.features().size();
                    }),
                v.system())
            .toCompletableFuture()
            .get(10, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - start) / 1e9;
    if (done != images) {
      throw new IllegalStateException("encoded " + done + " of " + images);
    }
    if (kill != null) {
      System.out.printf(
          Locale.ROOT,
          "SIG%s of 1 of 2 worker processes mid-stream: %d of %d images answered, longest"
              + " request from the signal on %.0f ms; %s%n",
          kill.fault,
          done,
          images,
          worst[0] / 1e6,
          kill.faultSummary());
    }
    return images / seconds;
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static Config supervisorConfig(int port) {
    return ConfigFactory.parseString(
            "vitrail.cluster { enabled = true, port = "
                + port
                + ", seed-nodes = [\"pekko://vitrail@127.0.0.1:"
                + port
                + "\"], heartbeat-interval = 200ms, acceptable-heartbeat-pause = 1500ms,"
                + " stable-after = 1500ms, hedge-after = 300ms }")
        .withFallback(ConfigFactory.load());
  }

  static BufferedReader reader(Process p) {
    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
  }
}
