package dev.vitrail.bench.runtime;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/**
 * The HTTP server under overload: {@code vitrail serve} in its own JVM (as the launcher starts it),
 * bodies of one 1200x1200 noise JPEG (about 5.8 MB of JSON), capacity measured closed-loop, then
 * open-loop load at 1x and at Nx that capacity, side by side, {@code runs} times, with plain
 * clients (the body sent at once) and/or clients that send {@code Expect: 100-continue}. Reports
 * answers by status, p50/p99 latency of admitted requests, admitted throughput, the CPU time of the
 * server and of the load generator, the server's peak RSS (and RSS at 10 s and after, to see it
 * flat) and its exit status after SIGTERM. Arguments: model dir (models/clip-tiny), seconds per
 * phase (60), overload factor (4), calibration seconds (15), client limit on unanswered requests
 * (256), runs (1), clients: plain, jdk, expect, both (plain and expect) or all (the three). See
 * {@link LoadClient} for what each client is.
 */
public final class OverloadBench {
  private OverloadBench() {}

  public static void main(String[] args) throws Exception {
    Path model = Path.of(args.length > 0 ? args[0] : "models/clip-tiny");
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 60;
    double factor = args.length > 2 ? Double.parseDouble(args[2]) : 4;
    double calibration = args.length > 3 ? Double.parseDouble(args[3]) : 15;
    int maxOutstanding = args.length > 4 ? Integer.parseInt(args[4]) : 256;
    int runs = args.length > 5 ? Integer.parseInt(args[5]) : 1;
    String clients = args.length > 6 ? args[6] : "both";
    List<LoadClient> modes = LoadClient.parse(clients);
    OverloadBody.Body body = OverloadBody.of(5.8e6);
    System.out.printf(
        Locale.ROOT,
        "body %.2f MB (one 1200x1200 noise JPEG, %.2f MB with APP15 padding)%n",
        body.json().length / 1e6,
        body.jpeg().length / 1e6);
    Path log = Files.createTempFile("vitrail-overload-server", ".log");
    List<String> serverOptions =
        List.of(System.getenv().getOrDefault("VITRAIL_SERVER_OPTS", "").split("\\s+")).stream()
            .filter(o -> !o.isBlank())
            .toList();
    System.out.println(
        "server JVM options: " + serverOptions + " (launcher defaults unless given)");
    try (ServerProcess server = new ServerProcess(model, serverOptions, log)) {
      URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v1/embeddings");
      double capacity = calibrate(uri, body.json(), calibration);
      System.out.printf(
          Locale.ROOT,
          "capacity %.2f req/s (closed loop, 4 clients, %.0f s)%n",
          capacity,
          calibration);
      double[][] ratios = new double[modes.size()][runs];
      for (int r = 0; r < runs; r++) {
        for (int m = 0; m < modes.size(); m++) {
          String client = modes.get(m).label();
          double one;
          double n;
          try (OpenLoopLoad load =
              new OpenLoopLoad(uri, body.json(), maxOutstanding, modes.get(m))) {
            one = phase(server, load, capacity, seconds, "run " + r + " " + client + " 1x");
            n =
                phase(
                    server,
                    load,
                    capacity * factor,
                    seconds,
                    "run " + r + " " + client + " " + factor + "x");
          }
          ratios[m][r] = n / one;
          System.out.printf(
              Locale.ROOT, "run %d %s: admitted %sx / 1x = %.3f%n", r, client, factor, n / one);
        }
      }
      for (int m = 0; m < modes.size(); m++) {
        System.out.printf(
            Locale.ROOT,
            "%s clients: median admitted %sx / 1x over %d runs = %.3f%n",
            modes.get(m).label(),
            factor,
            runs,
            OpenLoopLoad.median(ratios[m]));
      }
      System.out.println(
          "server exit status after SIGTERM: " + server.stop() + " (log " + log + ")");
    }
  }

  /** One open-loop phase at {@code rate}; prints its figures and returns admitted req/s. */
  private static double phase(
      ServerProcess server, OpenLoopLoad load, double rate, double seconds, String name)
      throws InterruptedException {
    server.resetPeak();
    RssTimeline timeline = new RssTimeline(server);
    double serverCpu = server.cpuSeconds();
    double ownCpu = ownCpuSeconds();
    OpenLoopLoad.Result result = load.run(rate, seconds);
    serverCpu = server.cpuSeconds() - serverCpu;
    ownCpu = ownCpuSeconds() - ownCpu;
    timeline.stop();
    System.out.println(result.line(name));
    System.out.printf(
        Locale.ROOT,
        "     offered %.2f req/s; CPU: server %.1f s (%.0f ms per 200), load generator %.1f s;"
            + " server RSS peak %d MiB, at 10 s %d MiB, max after 10 s %d MiB%n",
        rate,
        serverCpu,
        1000 * serverCpu / Math.max(1, result.ok()),
        ownCpu,
        server.peakRssKiB() >> 10,
        timeline.at(10) >> 10,
        timeline.maxFrom(10) >> 10);
    return result.ok() / result.seconds();
  }

  private static double ownCpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }

  /**
   * Requests per second answered 200 by 4 closed-loop clients (after a short warm-up), sending
   * through {@link PlainSocketClient} (so the generator's own cost is small here too).
   */
  private static double calibrate(URI uri, byte[] body, double seconds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (PlainSocketClient client = new PlainSocketClient(uri, body, 4)) {
      runClosed(pool, client, Math.min(5, seconds / 3));
      return runClosed(pool, client, seconds);
    } finally {
      pool.shutdown();
    }
  }

  private static double runClosed(ExecutorService pool, PlainSocketClient client, double seconds)
      throws Exception {
    LongAdder ok = new LongAdder();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    List<Future<?>> clients = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      clients.add(
          pool.submit(
              () -> {
                while (System.nanoTime() < end) {
                  if (client.exchange() == 200) {
                    ok.increment();
                  } else {
                    Thread.sleep(50);
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : clients) {
      f.get();
    }
    return ok.sum() / seconds;
  }
}
