package dev.vitrail.actors.cluster;

import dev.vitrail.actors.worker.EncoderFactory;
import dev.vitrail.actors.worker.EncoderWorker;
import dev.vitrail.actors.worker.WorkerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The guardian of a worker node: runs one {@link EncoderWorker} per local device, each opening its
 * own tower with the factory, and registers them with the receptionist under {@link
 * WorkerService#forModel} of the model's fingerprint and under {@link WorkerService#KEY}; the
 * fingerprint is also part of each worker's name ({@code encoder-FP-N}), so that supervisors of
 * another model can tell and ignore them. A worker restarts in place after a tower failure (same
 * address); the node stops with its actor system. It logs a health line periodically.
 */
public final class WorkerNode {
  /** Prefix of every encoder worker's actor name on a worker node. */
  public static final String PREFIX = "encoder-";

  private static final Duration HEALTH_EVERY = Duration.ofSeconds(30);

  private WorkerNode() {}

  /** The name part standing for a fingerprint ({@code any} for an unidentified model). */
  public static String nameTag(String fingerprint) {
    return fingerprint.isEmpty() ? "any" : fingerprint;
  }

  /** A guardian running {@code workers} encoder workers of an unidentified model. */
  public static Behavior<Void> create(
      int workers, EncoderFactory factory, WorkerSettings settings) {
    return create(workers, factory, settings, "");
  }

  /** A guardian running {@code workers} encoder workers (0-based tower indices). */
  public static Behavior<Void> create(
      int workers, EncoderFactory factory, WorkerSettings settings, String fingerprint) {
    return create(workers, factory, settings, fingerprint, Duration.ZERO);
  }

  /**
   * A guardian whose workers, when the JVM is asked to exit, finish the items they received for up
   * to {@code drainTimeout} before the node leaves, then hand back the rest ({@code LeaveDrain}).
   */
  public static Behavior<Void> create(
      int workers,
      EncoderFactory factory,
      WorkerSettings settings,
      String fingerprint,
      Duration drainTimeout) {
    if (workers < 1) {
      throw new IllegalArgumentException("a worker node needs at least one worker, got " + workers);
    }
    return Behaviors.<Object>setup(
            ctx -> {
              List<ActorRef<EncoderWorker.Command>> refs = new ArrayList<>();
              for (int w = 0; w < workers; w++) {
                ActorRef<EncoderWorker.Command> ref =
                    ctx.spawn(
                        EncoderWorker.create(w, factory, settings),
                        PREFIX + nameTag(fingerprint) + "-" + w);
                refs.add(ref);
                var receptionist = ctx.getSystem().receptionist();
                receptionist.tell(Receptionist.register(WorkerService.forModel(fingerprint), ref));
                receptionist.tell(Receptionist.register(WorkerService.KEY, ref));
              }
              LeaveDrain.install(ctx.getSystem(), refs, drainTimeout);
              ctx.getLog()
                  .info(
                      "worker node {} offers {} encoder workers for model {}",
                      ctx.getSystem().address(),
                      workers,
                      nameTag(fingerprint));
              return Behaviors.withTimers(
                  timers -> {
                    timers.startTimerWithFixedDelay("health", HEALTH_EVERY);
                    return Behaviors.receiveMessage(
                        tick -> {
                          var state = Cluster.get(ctx.getSystem()).state();
                          long up = 0;
                          for (var m : state.getMembers()) {
                            up += m.status() == MemberStatus.up() ? 1 : 0;
                          }
                          ctx.getLog()
                              .info(
                                  "worker node {} healthy: {} encoder workers, {} members up,"
                                      + " {} unreachable",
                                  ctx.getSystem().address(),
                                  workers,
                                  up,
                                  state.getUnreachable().size());
                          return Behaviors.same();
                        });
                  });
            })
        .narrow();
  }
}
