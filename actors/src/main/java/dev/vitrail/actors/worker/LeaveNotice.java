package dev.vitrail.actors.worker;

import dev.vitrail.actors.worker.EncoderWorker.Encode;
import dev.vitrail.actors.worker.EncoderWorker.Leaving;
import dev.vitrail.actors.worker.EncoderWorker.Reply;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The supervisors a worker served lately (bounded: one per supervisor, more is unusual), told
 * {@link Leaving} when its node leaves; a supervisor that sends items after that is told again.
 * Owned by one {@link EncoderWorker} (its actor thread).
 */
final class LeaveNotice {
  private static final int MAX_SUPERVISORS = 16;
  private final int worker;
  private final LinkedHashSet<ActorRef<Reply>> supervisors = new LinkedHashSet<>();
  private boolean leaving;

  LeaveNotice(int worker) {
    this.worker = worker;
  }

  /** Remembers who sent {@code items}; while leaving, tells each of them again. */
  void served(List<Encode> items) {
    for (Encode e : items) {
      if (supervisors.add(e.replyTo()) && supervisors.size() > MAX_SUPERVISORS) {
        supervisors.remove(supervisors.iterator().next());
      }
      if (leaving) {
        e.replyTo().tell(new Leaving(worker));
      }
    }
  }

  /** The node is leaving: tells every supervisor remembered (once). */
  void leave() {
    if (!leaving) {
      leaving = true;
      supervisors.forEach(s -> s.tell(new Leaving(worker)));
    }
  }
}
