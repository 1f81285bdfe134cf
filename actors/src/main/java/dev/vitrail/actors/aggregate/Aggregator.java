package dev.vitrail.actors.aggregate;

import dev.vitrail.encoders.api.FeatureOutput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Collects one request's item results in any completion order and answers once, in the caller's
 * order (plus vLLM's padded gather layout when asked). If results stop arriving for longer than the
 * idle timeout, the missing items are answered as failed so the request is still answered.
 */
public final class Aggregator extends AbstractBehavior<Aggregator.Command> {
  /** What an aggregator accepts. */
  public sealed interface Command {}

  /** Item {@code index} of the request is done. */
  public record Collect(int index, ItemResult result) implements Command {}

  private enum IdleTimeout implements Command {
    INSTANCE
  }

  private final ResultSlots slots;
  private final GatherLayout layout;
  private final ActorRef<RequestOutcome> replyTo;

  /**
   * An aggregator for {@code size} items.
   *
   * @param layout the padded gather layout to produce, or null
   * @param idleTimeout longest wait between two results before the rest are failed
   */
  public static Behavior<Command> create(
      int size, GatherLayout layout, Duration idleTimeout, ActorRef<RequestOutcome> replyTo) {
    return Behaviors.setup(
        ctx -> {
          ctx.setReceiveTimeout(idleTimeout, IdleTimeout.INSTANCE);
          return new Aggregator(ctx, size, layout, replyTo);
        });
  }

  private Aggregator(
      ActorContext<Command> ctx, int size, GatherLayout layout, ActorRef<RequestOutcome> replyTo) {
    super(ctx);
    this.slots = new ResultSlots(size);
    this.layout = layout;
    this.replyTo = replyTo;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Collect.class, this::onCollect)
        .onMessageEquals(IdleTimeout.INSTANCE, this::onIdle)
        .build();
  }

  private Behavior<Command> onCollect(Collect c) {
    slots.fill(c.index(), c.result());
    return slots.complete() ? answer() : this;
  }

  private Behavior<Command> onIdle() {
    getContext().getLog().warn("request idle too long; failing its missing items");
    slots.fillMissing(new ItemResult.Failed("no result within the aggregator's idle timeout"));
    return answer();
  }

  private Behavior<Command> answer() {
    List<ItemResult> items = slots.inOrder();
    PaddedGather gathered = null;
    if (layout != null && items.stream().allMatch(i -> i instanceof ItemResult.Encoded)) {
      List<FeatureOutput> outs = new ArrayList<>();
      items.forEach(i -> outs.add(((ItemResult.Encoded) i).output()));
      try {
        gathered = PaddedGather.assemble(layout, outs);
      } catch (IllegalArgumentException e) {
        getContext().getLog().error("cannot lay out the padded gather: {}", e.getMessage());
      }
    }
    replyTo.tell(new RequestOutcome.Completed(items, gathered));
    return Behaviors.stopped();
  }
}
