package dev.vitrail.config.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
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
 * @param linearKernel CPU linear kernel: {@code auto}, {@code dense}, {@code onednn} or {@code
 *     mlas}
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
    String linearKernel,
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

  /** The kernels {@code vitrail.workers.linear-kernel} accepts. */
  public static final List<String> LINEAR_KERNELS = List.of("auto", "dense", "onednn", "mlas");

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
    return RuntimeSettingsReader.read(config);
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
    RuntimeSettingsReader.requireCpuForInt8(
        computeDtype,
        placed,
        "f32, bf16, f16 or auto on the CUDA devices found by devices = auto " + placed);
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
    return workersAndThreads(
        placed.size(),
        placed,
        false,
        placedSpeeds,
        torchThreads,
        blasThreads,
        placed.stream().allMatch(d -> d.equals("cpu")) ? layout : "fixed");
  }

  /** These settings with {@code torch} libtorch intra-op and {@code blas} BLAS threads. */
  public RuntimeSettings withThreads(int torch, int blas) {
    return workersAndThreads(workers, devices, autoDevices, speeds, torch, blas, layout);
  }

  /** A copy with the workers, their thread pools and the layout replaced. */
  private RuntimeSettings workersAndThreads(
      int count,
      List<String> workerDevices,
      boolean auto,
      List<Double> workerSpeeds,
      int torch,
      int blas,
      String workerLayout) {
    return new RuntimeSettings(
        count,
        workerDevices,
        auto,
        workerSpeeds,
        batchLimit,
        batchPatchBudget,
        batchWait,
        callTimeout,
        restartMinBackoff,
        restartMaxBackoff,
        torch,
        blas,
        computeDtype,
        this.blas,
        linearKernel,
        towerSplit,
        workerLayout,
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
