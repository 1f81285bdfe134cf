package dev.vitrail.actors.supervisor;

import dev.vitrail.actors.aggregate.Aggregator;
import dev.vitrail.actors.aggregate.GatherLayout;
import dev.vitrail.actors.aggregate.ItemResult;
import dev.vitrail.actors.aggregate.RequestOutcome;
import dev.vitrail.actors.cache.CacheKey;
import dev.vitrail.actors.cache.EncoderCache;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.PixelInput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * The supervisor's front: checks each {@link Supervisor.Submit} against the in-flight limit, starts
 * its {@link Aggregator}, answers cache hits, and hands the rest to the {@link ItemLedger}; knows
 * each live request by its reply address so that it can be cancelled. Owned by the supervisor
 * (single-threaded).
 */
final class Intake {
  private final ActorContext<Supervisor.Command> ctx;
  private final SupervisorSettings settings;
  private final ItemLedger ledger;
  private final EncoderCache cache;
  private final Map<ActorRef<RequestOutcome>, ActorRef<Aggregator.Command>> live = new HashMap<>();
  private final Map<ActorRef<Aggregator.Command>, ActorRef<RequestOutcome>> replyOf =
      new HashMap<>();
  private long nextKey;
  long rejected;

  Intake(
      ActorContext<Supervisor.Command> ctx,
      SupervisorSettings settings,
      ItemLedger ledger,
      EncoderCache cache) {
    this.ctx = ctx;
    this.settings = settings;
    this.ledger = ledger;
    this.cache = cache;
  }

  /** Requests whose aggregator still runs. */
  int live() {
    return live.size();
  }

  /** Admits or rejects {@code s}; {@code draining} rejects everything. */
  void submit(Supervisor.Submit s, boolean draining) {
    int n = s.inputs().size();
    if (draining) {
      reject(s, "shutting down", false);
      return;
    }
    if (n == 0 || n > settings.maxInFlightItems()) {
      reject(
          s,
          "a request needs 1 to "
              + settings.maxInFlightItems()
              + " inputs (the in-flight limit), got "
              + n
              + "; split it",
          false);
      return;
    }
    if (ledger.size() + n > settings.maxInFlightItems()) {
      reject(
          s,
          "busy: "
              + ledger.size()
              + " items in flight, limit "
              + settings.maxInFlightItems()
              + "; retry later",
          true);
      return;
    }
    GatherLayout layout = null;
    if (s.gatherReduction() > 0) {
      try {
        long[] patches = s.inputs().stream().mapToLong(PixelInput::patchRows).toArray();
        layout = GatherLayout.mrope(patches, s.gatherReduction(), settings.workers());
      } catch (IllegalArgumentException e) {
        reject(s, "no padded gather layout: " + e.getMessage(), false);
        return;
      }
    }
    ActorRef<Aggregator.Command> agg =
        ctx.spawnAnonymous(
            Aggregator.create(n, layout, settings.requestIdleTimeout(), s.replyTo()));
    ctx.watchWith(agg, new Supervisor.AggregatorStopped(agg));
    live.put(s.replyTo(), agg);
    replyOf.put(agg, s.replyTo());
    List<Tracked> fresh = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      PixelInput in = s.inputs().get(i);
      CacheKey ck = cache.enabled() ? CacheKey.of(in, s.spec()) : null;
      FeatureOutput hit = ck != null ? cache.lookup(ck) : null;
      if (hit != null) {
        agg.tell(new Aggregator.Collect(i, new ItemResult.Encoded(hit)));
      } else {
        double cost = settings.costModel().cost(in.patchRows());
        fresh.add(new Tracked(nextKey++, in, s.spec(), agg, i, cost, ck));
      }
    }
    ledger.admit(fresh);
  }

  private void reject(Supervisor.Submit s, String reason, boolean busy) {
    rejected++;
    s.replyTo().tell(new RequestOutcome.Rejected(reason, busy));
  }

  /** The request answering {@code replyTo} was given up by its caller: stop it, drop its items. */
  void cancel(ActorRef<RequestOutcome> replyTo) {
    ActorRef<Aggregator.Command> agg = live.get(replyTo);
    if (agg != null) {
      ledger.cancel(agg);
      ctx.stop(agg);
    }
  }

  /** The request's aggregator stopped (answered, or given up): forget it, drop what is left. */
  void stopped(ActorRef<Aggregator.Command> agg) {
    ActorRef<RequestOutcome> replyTo = replyOf.remove(agg);
    if (replyTo != null) {
      live.remove(replyTo);
    }
    ledger.cancel(agg);
  }
}
