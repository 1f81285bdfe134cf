package dev.vitrail.config.settings;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads and checks {@link RuntimeSettings} from the {@code vitrail} namespace: the worker layout
 * decides the worker count and threads, the devices and speeds must list one entry per worker, and
 * settings that cannot work together (two wide thread pools, int8 on CUDA, backoffs the wrong way
 * round) are refused naming the key.
 */
final class RuntimeSettingsReader {
  private RuntimeSettingsReader() {}

  /** Settings from the {@code vitrail} namespace of {@code config}, validated. */
  static RuntimeSettings read(Config config) {
    SettingsReader w = new SettingsReader(config, "vitrail.workers");
    int count = w.intAtLeast("count", 1);
    List<String> requested = DeviceList.read(config, "vitrail.workers.devices");
    boolean auto = requested.equals(DeviceList.AUTO);
    String computeDtype = w.oneOf("compute-dtype", RuntimeSettings.DTYPES);
    String layout = w.oneOf("layout", WorkerLayout.LAYOUTS);
    int cores = w.intAtLeast("cores", 0);
    cores = cores > 0 ? cores : Runtime.getRuntime().availableProcessors();
    int torchThreads = w.intAtLeast("torch-threads", 1);
    int blasThreads = w.intAtLeast("blas-threads", 1);
    if (!layout.equals("fixed")) {
      if (!(auto || requested.isEmpty() || requested.equals(List.of("cpu")))) {
        throw new InvalidSettingsException(
            "vitrail.workers.layout", "fixed with the device list " + requested, layout);
      }
      if (!w.doubles("speeds").isEmpty()) {
        throw new InvalidSettingsException(
            "vitrail.workers.speeds", "empty with layout = " + layout, w.doubles("speeds"));
      }
      WorkerLayout.Plan plan = WorkerLayout.plan(layout, cores, computeDtype);
      count = plan.workers();
      torchThreads = plan.torchThreads();
      blasThreads = plan.blasThreads();
    }
    List<String> devices =
        auto || requested.isEmpty() || requested.equals(List.of("cpu")) && count > 1
            ? Collections.nCopies(count, "cpu")
            : requested;
    if (devices.size() != count) {
      throw new InvalidSettingsException(
          "vitrail.workers.devices",
          "auto, cpu, or " + count + " devices (one per worker)",
          devices.size() + " " + devices);
    }
    List<Double> speeds = new ArrayList<>(w.doubles("speeds"));
    if (speeds.isEmpty()) {
      speeds.addAll(Collections.nCopies(count, 1.0));
    } else if (speeds.size() != count || speeds.stream().anyMatch(s -> !(s > 0))) {
      throw new InvalidSettingsException(
          "vitrail.workers.speeds", count + " positive numbers", speeds);
    }
    Duration minBackoff = w.duration("restart-min-backoff", false);
    Duration maxBackoff = w.duration("restart-max-backoff", false);
    if (maxBackoff.compareTo(minBackoff) < 0) {
      throw new InvalidSettingsException(
          "vitrail.workers.restart-max-backoff",
          "a duration >= restart-min-backoff (" + minBackoff + ")",
          maxBackoff);
    }
    if (torchThreads > 1 && blasThreads > 1) {
      throw new InvalidSettingsException(
          "vitrail.workers.blas-threads",
          "1 while torch-threads is "
              + torchThreads
              + " (two thread pools together make the forward pass 50-90x slower)",
          blasThreads);
    }
    requireCpuForInt8(computeDtype, devices, "f32, bf16 or f16 on CUDA devices");
    SettingsReader b = new SettingsReader(config, "vitrail.balance");
    SettingsReader a = new SettingsReader(config, "vitrail.admission");
    SettingsReader s = new SettingsReader(config, "vitrail.stream");
    SettingsReader c = new SettingsReader(config, "vitrail.cluster");
    boolean clusterEnabled = c.bool("enabled");
    // The cluster's Pekko settings (provider, seeds, downing) are derived from vitrail.cluster by
    // dev.vitrail.actors.cluster.ClusterConfig on every node, so nothing else is required here.
    return new RuntimeSettings(
        count,
        devices,
        auto,
        speeds,
        w.intAtLeast("batch-limit", 1),
        w.intAtLeast("batch-patch-budget", 0),
        w.duration("batch-wait", true),
        w.duration("call-timeout", false),
        minBackoff,
        maxBackoff,
        torchThreads,
        blasThreads,
        computeDtype,
        w.oneOf("blas", RuntimeSettings.BLAS),
        w.oneOf("linear-kernel", RuntimeSettings.LINEAR_KERNELS),
        w.oneOf("tower-split", List.of("auto", "off")),
        layout,
        cores,
        b.oneOf("policy", RuntimeSettings.POLICIES),
        b.doubleIn("cost-model.per-patch", 0, Double.MAX_VALUE),
        b.doubleIn("cost-model.per-patch-squared", 0, Double.MAX_VALUE),
        b.intAtLeast("cost-model.window-patches", 1),
        b.doubleIn("cost-model.full-attention-fraction", 0, 1),
        a.intAtLeast("max-in-flight-items", 1),
        a.intAtLeast("max-attempts", 1),
        a.duration("request-idle-timeout", false),
        new SettingsReader(config, "vitrail.cache").bytesAtLeast("max-bytes", 0),
        s.intAtLeast("max-in-flight-requests", 1),
        s.intAtLeast("preprocess-threads", 1),
        clusterEnabled,
        c.doubleIn("remote-worker-speed", Double.MIN_VALUE, Double.MAX_VALUE));
  }

  /** Refuses int8 on any non-CPU device of {@code devices}; {@code expected} names the choices. */
  static void requireCpuForInt8(String computeDtype, List<String> devices, String expected) {
    if (computeDtype.equals("int8") && devices.stream().anyMatch(d -> !d.equals("cpu"))) {
      throw new InvalidSettingsException(
          "vitrail.workers.compute-dtype", expected + " (int8 is CPU only)", "int8");
    }
  }
}
