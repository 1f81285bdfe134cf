package dev.vitrail.actors.cluster;

import dev.vitrail.actors.worker.EncoderFactory;
import dev.vitrail.actors.worker.EncoderWorker;
import dev.vitrail.actors.worker.WorkerSettings;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * The guardian of a worker node: runs one {@link EncoderWorker} per local device, each opening its
 * own tower with the factory, and registers them with the receptionist under {@link
 * WorkerService#KEY} so that supervisors elsewhere in the cluster use them. A worker restarts in
 * place after a tower failure (same address); the node stops with its actor system.
 */
public final class WorkerNode {
  private WorkerNode() {}

  /** A guardian running {@code workers} encoder workers (0-based tower indices). */
  public static Behavior<Void> create(
      int workers, EncoderFactory factory, WorkerSettings settings) {
    if (workers < 1) {
      throw new IllegalArgumentException("a worker node needs at least one worker, got " + workers);
    }
    return Behaviors.setup(
        ctx -> {
          for (int w = 0; w < workers; w++) {
            ActorRef<EncoderWorker.Command> ref =
                ctx.spawn(EncoderWorker.create(w, factory, settings), "encoder-worker-" + w);
            ctx.getSystem().receptionist().tell(Receptionist.register(WorkerService.KEY, ref));
          }
          ctx.getLog()
              .info("worker node {} offers {} encoder workers", ctx.getSystem().address(), workers);
          return Behaviors.empty();
        });
  }
}
