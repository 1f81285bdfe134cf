package dev.vitrail.bench.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code vitrail serve} in its own JVM (this class path), so its resident memory can be sampled
 * from {@code /proc/<pid>/status} while a load runs, and stopped with SIGTERM at the end.
 */
final class ServerProcess implements AutoCloseable {
  private static final Pattern PORT = Pattern.compile("on http://[^:]+:(\\d+)");
  private final Process process;
  private final int port;
  private final AtomicLong peakRssKiB = new AtomicLong();
  private final Thread sampler;

  ServerProcess(Path model, List<String> jvmOptions, Path log) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // As the vitrail launcher starts `serve`: a 1 GiB heap committed and touched at start (on
    // transparent huge pages where the kernel gives them on request), two malloc arenas, unless the
    // options name another heap.
    cmd.addAll(List.of("-Xss4m", "--enable-native-access=ALL-UNNAMED"));
    boolean launcherHeap = jvmOptions.stream().noneMatch(o -> o.startsWith("-Xmx"));
    if (launcherHeap) {
      cmd.addAll(List.of("-Xmx1g", "-Xms1g", "-XX:+AlwaysPreTouch"));
      if (hugePagesOnRequest()) {
        cmd.add("-XX:+UseTransparentHugePages");
      }
    }
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
    cmd.addAll(List.of("dev.vitrail.runtime.cli.Main", "serve", "--model", model.toString()));
    cmd.addAll(List.of("--host", "127.0.0.1", "--port", "0"));
    ProcessBuilder builder = new ProcessBuilder(cmd).redirectError(log.toFile());
    if (launcherHeap) {
      builder.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
    }
    process = builder.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    int found = -1;
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      Matcher m = PORT.matcher(line);
      if (m.find()) {
        found = Integer.parseInt(m.group(1));
        break;
      }
    }
    if (found < 0) {
      throw new IllegalStateException("the server did not start; see " + log);
    }
    port = found;
    sampler = new Thread(this::sample, "rss-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  /**
   * Whether the kernel gives transparent huge pages on request (madvise), as the launcher checks.
   */
  static boolean hugePagesOnRequest() {
    try {
      return Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"))
          .contains("[madvise]");
    } catch (IOException e) {
      return false;
    }
  }

  int port() {
    return port;
  }

  /** Resident memory now, KiB (VmRSS). */
  long rssKiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // the process ended or /proc is unavailable
    }
    return 0;
  }

  /** CPU time the server process has used so far (user + system), seconds. */
  double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // Fields 14 and 15 of /proc/PID/stat (utime, stime) in clock ticks (100 per second).
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /**
   * CPU seconds used so far by the server's threads, grouped by thread name with digits dropped
   * (the kernel's 15-character name: "vitrail-pekko.a", "C2 CompilerThre", "GC Thread#").
   */
  Map<String, Double> threadCpuSeconds() {
    Map<String, Double> byName = new TreeMap<>();
    try (DirectoryStream<Path> tasks =
        Files.newDirectoryStream(Path.of("/proc/" + process.pid() + "/task"))) {
      for (Path task : tasks) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
          byName.merge(name.replaceAll("\\d+", "#"), cpu, Double::sum);
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      // the process ended
    }
    return byName;
  }

  /** The highest resident memory seen since the last reset, KiB (sampled every 100 ms). */
  long peakRssKiB() {
    return peakRssKiB.get();
  }

  void resetPeak() {
    peakRssKiB.set(rssKiB());
  }

  private void sample() {
    while (process.isAlive()) {
      peakRssKiB.accumulateAndGet(rssKiB(), Math::max);
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Sends SIGTERM and returns the exit status (the server drains first). */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
