package dev.vitrail.bench.runtime;

import dev.vitrail.actors.supervisor.SupervisorStats;
import dev.vitrail.actors.supervisor.WorkerStat;
import dev.vitrail.runtime.api.Vitrail;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * For {@link ClusterScalingBench}: a supervisor in this JVM (its local worker nearly idle, speed
 * 0.001) and {@code n} {@link SimulatedWorkerNode} processes joined to it.
 */
final class WorkerProcesses implements AutoCloseable {
  private final List<Process> processes = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();
  private final Vitrail vitrail;

  WorkerProcesses(int n, double ms) throws Exception {
    int port = ClusterScalingBench.freePort();
    vitrail =
        Vitrail.start(
            BenchSettings.of(
                "vitrail { workers { count = 1, speeds = [0.001], batch-limit = 8,"
                    + " batch-wait = 0ms }, balance.policy = cost, cluster.enabled = true,"
                    + " stream.max-in-flight-requests = "
                    + (24 * n)
                    + " }"),
            w -> SimulatedWorkerNode.tower(ms),
            null,
            ClusterScalingBench.supervisorConfig(port),
            SimulatedWorkerNode.FINGERPRINT);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (int i = 0; i < n; i++) {
      ports.add(ClusterScalingBench.freePort());
      processes.add(
          new ProcessBuilder(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  "-Xmx256m",
                  "-XX:+UseSerialGC",
                  "-Dvitrail.cluster.heartbeat-interval=200ms",
                  "-Dvitrail.cluster.acceptable-heartbeat-pause=1500ms",
                  "-Dvitrail.cluster.stable-after=1500ms",
                  "-Dvitrail.cluster.drain-timeout=5s",
                  SimulatedWorkerNode.class.getName(),
                  Integer.toString(port),
                  Integer.toString(ports.get(i)),
                  Double.toString(ms))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start());
    }
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    // Bounded: a supervisor whose actor system stopped (e.g. it could not join itself under heavy
    // load) never answers, and its scheduler no longer times the ask out.
    while (vitrail.stats().toCompletableFuture().get(30, TimeUnit.SECONDS).liveWorkers() < n + 1) {
      if (System.nanoTime() > end) {
        close(); // no orphaned worker processes
        throw new IllegalStateException("worker processes did not join within 120 s");
      }
      Thread.sleep(100);
    }
  }

  /** Images/s of a stream of {@code images}; {@code kills} = 1 kills one process mid-stream. */
  double run(int images, int kills) throws Exception {
    return ClusterScalingBench.stream(vitrail, images, kills > 0 ? this : null);
  }

  /** Signal for {@link #faultOne}: KILL, TERM or STOP. */
  String fault = "KILL";

  /** Counters when the signal was sent. */
  private SupervisorStats atSignal;

  /** Items the faulted worker process held when the signal was sent. */
  private int heldAtSignal;

  /** Sends the fault signal to the first worker process (a stopped one is continued on close). */
  void faultOne() throws Exception {
    atSignal = stats();
    String node = "@127.0.0.1:" + ports.get(0) + "/";
    heldAtSignal =
        atSignal.workers().stream()
            .filter(w -> w.live() && w.label().contains(node))
            .mapToInt(WorkerStat::outstanding)
            .sum();
    Process p = processes.get(0);
    // SIGKILL and SIGTERM straight from this JVM: starting a kill process can take a while on a
    // loaded machine, and that would count as stall.
    switch (fault) {
      case "KILL" -> p.destroyForcibly();
      case "TERM" -> p.destroy();
      default ->
          new ProcessBuilder("kill", "-" + fault, Long.toString(p.pid()))
              .start()
              .waitFor(10, TimeUnit.SECONDS);
    }
  }

  private SupervisorStats stats() throws Exception {
    return vitrail.stats().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /**
   * What happened to the faulted worker's items since the signal: held at the signal, copies sent
   * by hedging, items re-dispatched when its node left (those were not hedged), and items it
   * answered itself (a graceful leave) or that were placed on it after the signal.
   */
  String faultSummary() throws Exception {
    SupervisorStats now = stats();
    long hedged = now.hedgedItems() - atSignal.hedgedItems();
    long redispatched = now.lostWorkerRedispatches() - atSignal.lostWorkerRedispatches();
    StringBuilder workers = new StringBuilder();
    for (WorkerStat w : atSignal.workers()) {
      if (w.live() && !w.label().startsWith("local/")) {
        workers.append(
            String.format(
                Locale.ROOT,
                " [%s: %d held, answer gap %.0f ms, latency %.0f ms]",
                w.label().replaceAll("/.*", ""),
                w.outstanding(),
                w.answerGapMillis(),
                w.latencyMillis()));
      }
    }
    return String.format(
        Locale.ROOT,
        "held by the faulted worker at the signal %d, hedged %d, not hedged (re-dispatched when its"
            + " node left) %d; remote workers at the signal:%s",
        heldAtSignal,
        hedged,
        redispatched,
        workers);
  }

  @Override
  public void close() throws Exception {
    if (fault.equals("STOP")) {
      new ProcessBuilder("kill", "-CONT", Long.toString(processes.get(0).pid()))
          .start()
          .waitFor(10, TimeUnit.SECONDS);
    }
    vitrail.close();
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
