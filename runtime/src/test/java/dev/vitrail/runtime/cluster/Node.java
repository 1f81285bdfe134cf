package dev.vitrail.runtime.cluster;

import dev.vitrail.runtime.cli.ConsoleLogging;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code vitrail serve} or {@code vitrail worker} JVM started from the test class path, its
 * output in a log file; every wait is bounded.
 */
final class Node implements AutoCloseable {
  /**
   * The tuned profile for loopback tests (every node the same): failure detector and downing
   * timings, hedging after 300 ms of silence, and a short drain on SIGTERM.
   */
  static final List<String> TUNED =
      List.of(
          "-Dvitrail.cluster.heartbeat-interval=200ms",
          "-Dvitrail.cluster.acceptable-heartbeat-pause=1500ms",
          "-Dvitrail.cluster.stable-after=1500ms",
          "-Dvitrail.cluster.hedge-after=300ms",
          "-Dvitrail.cluster.drain-timeout=5s",
          "-Dvitrail.cluster.join-timeout=40s");

  final String name;
  final int clusterPort;
  final Path log;
  private final List<String> command;
  private final List<String> jvm = new ArrayList<>();
  private Process process;

  private Node(String name, int clusterPort, Path log, List<String> command) {
    this.name = name;
    this.clusterPort = clusterPort;
    this.log = log;
    this.command = command;
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String seed(int port) {
    return "pekko://vitrail@127.0.0.1:" + port;
  }

  /** A supervisor serving HTTP on {@code httpPort}, seed of its own cluster on {@code port}. */
  static Node serve(Path dir, Path model, int httpPort, int port, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "serve",
                "--model",
                model.toString(),
                "--name",
                "clip-tiny",
                "--port",
                Integer.toString(httpPort),
                "--seed-nodes",
                seed(port),
                "--cluster-host",
                "127.0.0.1",
                "--cluster-port",
                Integer.toString(port)));
    args.addAll(List.of(extra));
    return new Node("serve-" + port, port, dir.resolve("serve-" + port + ".log"), args);
  }

  /** A worker node on {@code port} joining the supervisor at {@code seedPort}. */
  static Node worker(Path dir, Path model, int seedPort, int port) {
    List<String> args =
        List.of(
            "worker",
            "--model",
            model.toString(),
            "--seed-nodes",
            seed(seedPort),
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(port));
    return new Node("worker-" + port, port, dir.resolve("worker-" + port + ".log"), args);
  }

  /** Adds JVM options (e.g. {@code -Dvitrail.cluster.join-timeout=5s}) for the next starts. */
  Node withJvm(String... options) {
    jvm.addAll(List.of(options));
    return this;
  }

  /** Starts (or starts again, appending to the same log). */
  Node start() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            command.get(0).equals("serve") ? "-Xmx1g" : "-Xmx256m",
            // The 100 x 336^2 request (~45 MB) is above the default 64 images per request.
            "-Dvitrail.http.max-inputs=128",
            "-Dvitrail.http.admission.max-items-in-flight=128",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-D" + ConsoleLogging.FORCE_PROPERTY + "=console"));
    cmd.addAll(TUNED);
    cmd.addAll(jvm);
    cmd.add("dev.vitrail.runtime.cli.Main");
    cmd.addAll(command);
    try {
      process =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  /** Sends a signal by name (KILL, TERM, STOP, CONT). */
  void signal(String sig) {
    try {
      new ProcessBuilder("kill", "-" + sig, Long.toString(pid()))
          .start()
          .waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for the process to end; its exit status, or -1 if it still runs after {@code max}. */
  int awaitExit(Duration max) throws InterruptedException {
    return process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  /** Occurrences of {@code text} in the log so far. */
  int count(String text) {
    try {
      String s = Files.exists(log) ? Files.readString(log) : "";
      int n = 0;
      for (int i = s.indexOf(text); i >= 0; i = s.indexOf(text, i + 1)) {
        n++;
      }
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the log holds {@code text} at least {@code times} times. */
  void awaitLog(String text, int times, Duration max) throws InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    while (count(text) < times) {
      if (System.nanoTime() > end || (process != null && !process.isAlive())) {
        throw new AssertionError(
            name + ": no '" + text + "' (x" + times + ") within " + max + "; log " + log);
      }
      Thread.sleep(100);
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
