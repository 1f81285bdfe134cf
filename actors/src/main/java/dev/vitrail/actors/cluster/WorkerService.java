package dev.vitrail.actors.cluster;

import dev.vitrail.actors.worker.EncoderWorker;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * The receptionist keys under which worker nodes register their encoder workers: every worker under
 * {@link #KEY}, and under {@link #forModel} of its model's fingerprint. A supervisor uses only the
 * workers of its own fingerprint and logs the others.
 */
public final class WorkerService {
  /** Every encoder worker offered to the cluster's supervisors, whatever its model. */
  public static final ServiceKey<EncoderWorker.Command> KEY =
      ServiceKey.create(EncoderWorker.Command.class, "vitrail-encoder-worker");

  private WorkerService() {}

  /**
   * The workers serving the model with this fingerprint (see the runtime's {@code
   * ModelFingerprint}); an empty fingerprint is the key of unidentified models (embedded use).
   */
  public static ServiceKey<EncoderWorker.Command> forModel(String fingerprint) {
    return ServiceKey.create(
        EncoderWorker.Command.class,
        fingerprint.isEmpty()
            ? "vitrail-encoder-worker@any"
            : "vitrail-encoder-worker@" + fingerprint);
  }
}
