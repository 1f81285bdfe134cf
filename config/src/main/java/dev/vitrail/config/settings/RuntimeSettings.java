package dev.vitrail.config.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Everything the actor runtime reads from the {@code vitrail} namespace (see {@code reference.conf}
 * in this module for what each key means).
 *
 * @param workers number of encoder workers
 * @param devices device per worker ({@code cpu} or {@code cuda:N}), {@code workers} entries; with
 *     {@code autoDevices} the CPU fallback until {@link #withDevices} places the workers
 * @param autoDevices {@code devices = auto}: one worker per visible CUDA device when there are any
 *     (resolved by {@code dev.vitrail.encoders.tensor.DevicePlacement}), else these CPU workers
 * @param speeds relative speed per worker, {@code workers} entries
 * @param batchLimit most items per tower call
 * @param batchPatchBudget most patches (tokens) per tower call, 0 for no budget; an item larger
 *     than the budget still runs, alone
 * @param batchWait wait for more items before a partial batch runs
 * @param callTimeout a tower call longer than this counts as a hung worker
 * @param restartMinBackoff first restart delay
 * @param restartMaxBackoff longest restart delay
 * @param torchThreads libtorch intra-op threads per worker
 * @param blasThreads OpenBLAS threads (process-wide); never more than one together with {@code
 *     torchThreads} above one
 * @param computeDtype tower compute mode: {@code auto} (f32 on CPU, bf16 on CUDA sm80+), {@code
 *     f32}, {@code bf16}, {@code f16} or {@code int8}
 * @param blas BLAS library behind the float32 GEMMs: {@code auto}, {@code openblas} or {@code mkl}
 * @param towerSplit {@code auto} (a float32 CLIP/SigLIP tower opened with {@code torchThreads} N
 *     above one and one BLAS thread is split N ways across the cores) or {@code off}
 * @param layout CPU worker layout ({@link WorkerLayout}): {@code fixed}, {@code auto}, {@code
 *     one-wide} or {@code per-core}; {@code fixed} on CUDA devices
 * @param layoutCores cores the layout spreads over (threads of a wide call)
 * @param balancePolicy {@code lpt}, {@code cost} or {@code pull}
 * @param costPerPatch cost model a
 * @param costPerPatchSquared cost model b
 * @param costWindowPatches cost model W
 * @param costFullAttentionFraction cost model f
 * @param maxInFlightItems admission limit, beyond it requests are rejected as busy
 * @param maxAttempts tower calls an item may fail before it fails alone
 * @param requestIdleTimeout longest wait between two results of one request
 * @param cacheMaxBytes encoder cache capacity (0 = off)
 * @param streamMaxInFlightRequests requests in flight through one flow
 * @param preprocessThreads threads decoding image bytes
 * @param clusterEnabled also use the encoder workers other Pekko Cluster nodes offer
 * @param remoteWorkerSpeed relative speed of each remote worker
 */
public record RuntimeSettings(
    int workers,
    List<String> devices,
    boolean autoDevices,
    List<Double> speeds,
    int batchLimit,
    long batchPatchBudget,
    Duration batchWait,
    Duration callTimeout,
    Duration restartMinBackoff,
    Duration restartMaxBackoff,
    int torchThreads,
    int blasThreads,
    String computeDtype,
    String blas,
    String towerSplit,
    String layout,
    int layoutCores,
    String balancePolicy,
    double costPerPatch,
    double costPerPatchSquared,
    long costWindowPatches,
    double costFullAttentionFraction,
    int maxInFlightItems,
    int maxAttempts,
    Duration requestIdleTimeout,
    long cacheMaxBytes,
    int streamMaxInFlightRequests,
    int preprocessThreads,
    boolean clusterEnabled,
    double remoteWorkerSpeed) {
  /** The policies {@code vitrail.balance.policy} accepts. */
  public static final List<String> POLICIES = List.of("lpt", "cost", "pull");

  /** The dtypes {@code vitrail.workers.compute-dtype} accepts. */
  public static final List<String> DTYPES = List.of("f32", "bf16", "f16", "int8", "auto");

  /** The libraries {@code vitrail.workers.blas} accepts. */
  public static final List<String> BLAS = List.of("auto", "openblas", "mkl");

  public RuntimeSettings {
    devices = List.copyOf(devices);
    speeds = List.copyOf(speeds);
  }

  /**
   * Settings from {@code application.conf}, system properties and environment over the defaults.
   */
  public static RuntimeSettings load() {
    return from(ConfigFactory.load());
  }

  /** Settings from the {@code vitrail} namespace of {@code config}, validated. */
  public static RuntimeSettings from(Config config) {
    SettingsReader w = new SettingsReader(config, "vitrail.workers");
    int count = w.intAtLeast("count", 1);
    List<String> requested = DeviceList.read(config, "vitrail.workers.devices");
    boolean auto = requested.equals(DeviceList.AUTO);
    String computeDtype = w.oneOf("compute-dtype", DTYPES);
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
    if (computeDtype.equals("int8") && devices.stream().anyMatch(d -> !d.equals("cpu"))) {
      throw new InvalidSettingsException(
          "vitrail.workers.compute-dtype",
          "f32, bf16 or f16 on CUDA devices (int8 is CPU only)",
          "int8");
    }
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
        w.oneOf("blas", BLAS),
        w.oneOf("tower-split", List.of("auto", "off")),
        layout,
        cores,
        b.oneOf("policy", POLICIES),
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

  /**
   * These settings with one worker per entry of {@code placed} (the result of resolving {@code
   * devices = auto}); {@code autoDevices} becomes false. Equal speeds stay equal; different speeds
   * must already list one number per placed worker.
   */
  public RuntimeSettings withDevices(List<String> placed) {
    if (placed.isEmpty()) {
      throw new IllegalArgumentException("at least one device is needed");
    }
    if (computeDtype.equals("int8") && placed.stream().anyMatch(d -> !d.equals("cpu"))) {
      throw new InvalidSettingsException(
          "vitrail.workers.compute-dtype",
          "f32, bf16, f16 or auto on the CUDA devices found by devices = auto "
              + placed
              + " (int8 is CPU only)",
          "int8");
    }
    List<Double> placedSpeeds = speeds;
    if (placed.size() != speeds.size()) {
      if (speeds.stream().distinct().count() > 1) {
        throw new InvalidSettingsException(
            "vitrail.workers.speeds",
            placed.size() + " numbers, one per device found by devices = auto " + placed,
            speeds);
      }
      placedSpeeds = Collections.nCopies(placed.size(), speeds.get(0));
    }
    return new RuntimeSettings(
        placed.size(),
        placed,
        false,
        placedSpeeds,
        batchLimit,
        batchPatchBudget,
        batchWait,
        callTimeout,
        restartMinBackoff,
        restartMaxBackoff,
        torchThreads,
        blasThreads,
        computeDtype,
        blas,
        towerSplit,
        placed.stream().allMatch(d -> d.equals("cpu")) ? layout : "fixed",
        layoutCores,
        balancePolicy,
        costPerPatch,
        costPerPatchSquared,
        costWindowPatches,
        costFullAttentionFraction,
        maxInFlightItems,
        maxAttempts,
        requestIdleTimeout,
        cacheMaxBytes,
        streamMaxInFlightRequests,
        preprocessThreads,
        clusterEnabled,
        remoteWorkerSpeed);
  }
}
