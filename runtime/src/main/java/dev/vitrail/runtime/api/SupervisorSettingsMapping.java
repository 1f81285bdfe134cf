package dev.vitrail.runtime.api;

import dev.vitrail.actors.balance.BalanceMode;
import dev.vitrail.actors.balance.CostModel;
import dev.vitrail.actors.supervisor.SupervisorSettings;
import dev.vitrail.actors.worker.CoreGate;
import dev.vitrail.actors.worker.WorkerSettings;
import dev.vitrail.config.settings.RuntimeSettings;
import dev.vitrail.config.settings.WorkerLayout;
import dev.vitrail.encoders.tensor.NativeTorch;

/** Turns the validated {@code vitrail.*} settings into the actors' settings. */
final class SupervisorSettingsMapping {
  private SupervisorSettingsMapping() {}

  static SupervisorSettings map(RuntimeSettings s) {
    WorkerSettings worker =
        new WorkerSettings(
            s.batchLimit(),
            s.batchWait(),
            s.callTimeout(),
            s.restartMinBackoff(),
            s.restartMaxBackoff(),
            s.batchPatchBudget(),
            gate(s));
    CostModel cost =
        new CostModel(
            s.costPerPatch(),
            s.costPerPatchSquared(),
            s.costWindowPatches(),
            s.costFullAttentionFraction());
    return new SupervisorSettings(
        s.workers(),
        s.speeds().stream().mapToDouble(Double::doubleValue).toArray(),
        BalanceMode.parse(s.balancePolicy()),
        cost,
        s.maxInFlightItems(),
        s.maxAttempts(),
        s.cacheMaxBytes(),
        s.requestIdleTimeout(),
        worker);
  }

  /**
   * The core gate of {@code layout = auto} on several CPU workers: wide f32 calls raise OpenBLAS's
   * threads, wide bf16/f16/int8 calls libtorch's intra-op threads of the tower thread.
   */
  static CoreGate gate(RuntimeSettings s) {
    if (!s.layout().equals("auto") || s.workers() < 2) {
      return CoreGate.none();
    }
    return new CoreGate(
        s.workers(),
        s.layoutCores(),
        WorkerLayout.widensTorch(s.computeDtype())
            ? NativeTorch::setCallerTorchThreads
            : NativeTorch::setBlasThreads);
  }
}
