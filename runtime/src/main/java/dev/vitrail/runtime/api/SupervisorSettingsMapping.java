package dev.vitrail.runtime.api;

import dev.vitrail.actors.balance.BalanceMode;
import dev.vitrail.actors.balance.CostModel;
import dev.vitrail.actors.supervisor.SupervisorSettings;
import dev.vitrail.actors.worker.WorkerSettings;
import dev.vitrail.config.settings.RuntimeSettings;

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
            s.batchPatchBudget());
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
}
