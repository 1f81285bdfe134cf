package dev.vitrail.actors.worker;

import dev.vitrail.actors.worker.EncoderWorker.Command;
import dev.vitrail.actors.worker.EncoderWorker.Encode;
import dev.vitrail.actors.worker.EncoderWorker.ItemEncoded;
import dev.vitrail.actors.worker.EncoderWorker.ItemsFailed;
import dev.vitrail.encoders.api.FeatureOutput;
import java.util.List;
import java.util.Objects;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * The answers to the items of a tower call that returned ({@link TowerCalls#finished}): each item's
 * features, or its own failure when it ran out of device memory even alone ({@link OomSplit}); the
 * worker stays up either way.
 */
final class BatchAnswers {
  private BatchAnswers() {}

  /**
   * Answers {@code items} (in call order) with {@code result}, logging on {@code ctx} a batch that
   * had to be split.
   */
  static void tell(
      int worker,
      List<Encode> items,
      OomSplit.Result<FeatureOutput> result,
      ActorContext<Command> ctx) {
    if (result.splits() > 0) {
      ctx.getLog()
          .warn(
              "worker {}: a batch of {} ran out of device memory; split {} time(s), {} item(s) failed"
                  + " alone",
              worker,
              items.size(),
              result.splits(),
              result.errors().stream().filter(Objects::nonNull).count());
    }
    for (int i = 0; i < items.size(); i++) {
      Encode e = items.get(i);
      String error = result.errors().get(i);
      if (error == null) {
        e.replyTo().tell(new ItemEncoded(worker, e.key(), result.outputs().get(i)));
      } else {
        // Too large for this device even alone: the item fails (one attempt), the worker stays up.
        e.replyTo()
            .tell(new ItemsFailed(worker, List.of(e.key()), "worker " + worker + ": " + error));
      }
    }
  }
}
