package dev.vitrail.actors.cluster;

import dev.vitrail.actors.worker.EncoderWorker;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/** The receptionist key under which worker nodes register their encoder workers. */
public final class WorkerService {
  /** Every encoder worker offered to the cluster's supervisors. */
  public static final ServiceKey<EncoderWorker.Command> KEY =
      ServiceKey.create(EncoderWorker.Command.class, "vitrail-encoder-worker");

  private WorkerService() {}
}
