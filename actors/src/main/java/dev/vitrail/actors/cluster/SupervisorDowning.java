package dev.vitrail.actors.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.AbstractActorWithTimers;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.Props;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.DowningProvider;
import org.apache.pekko.cluster.Member;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.concurrent.duration.FiniteDuration;

/**
 * The cluster's downing provider ({@code pekko.cluster.downing-provider-class}): once the set of
 * unreachable members has not changed for {@code vitrail.cluster.stable-after}, each node applies
 * {@link DowningRule}: the supervisor downs the unreachable workers, a worker cut off from the
 * supervisor downs itself. Pekko's split-brain resolver, used before, also downs "indirectly
 * connected" members, and a worker resuming from a pause (SIGSTOP, a long GC) reports the
 * supervisor unreachable for a moment: that downed the supervisor itself (ClusterProcessesTest,
 * 2026-12-08). Here no observation can.
 */
public final class SupervisorDowning extends DowningProvider {
  private final Duration stableAfter;

  /** Made by Pekko with the node's actor system. */
  public SupervisorDowning(ActorSystem system) {
    this.stableAfter = system.settings().config().getDuration("vitrail.cluster.stable-after");
  }

  @Override
  public FiniteDuration downRemovalMargin() {
    return FiniteDuration.Zero(); // no singletons or shards to hand over first
  }

  @Override
  public Option<Props> downingActorProps() {
    return Option.apply(Props.create(Downer.class, () -> new Downer(stableAfter)));
  }

  /** The per-node actor that watches reachability and downs by {@link DowningRule}. */
  static final class Downer extends AbstractActorWithTimers {
    private static final Logger LOG = LoggerFactory.getLogger(SupervisorDowning.class);

    /** The timer's message: the unreachable members have been the same for stable-after. */
    private enum Stable {
      INSTANCE
    }

    private final Duration stableAfter;
    private final Cluster cluster = Cluster.get(getContext().getSystem());
    private final Map<Address, Member> unreachable = new HashMap<>();

    Downer(Duration stableAfter) {
      this.stableAfter = stableAfter;
    }

    @Override
    public void preStart() {
      cluster.subscribe(
          getSelf(),
          ClusterEvent.initialStateAsEvents(),
          ClusterEvent.UnreachableMember.class,
          ClusterEvent.ReachableMember.class,
          ClusterEvent.MemberRemoved.class);
    }

    @Override
    public void postStop() {
      cluster.unsubscribe(getSelf());
    }

    @Override
    public Receive createReceive() {
      return receiveBuilder()
          .match(ClusterEvent.UnreachableMember.class, e -> changed(e.member(), true))
          .match(ClusterEvent.ReachableMember.class, e -> changed(e.member(), false))
          .match(ClusterEvent.MemberRemoved.class, e -> changed(e.member(), false))
          .matchEquals(Stable.INSTANCE, s -> decide())
          .build();
    }

    private void changed(Member m, boolean isUnreachable) {
      boolean changed =
          isUnreachable
              ? unreachable.put(m.address(), m) == null
              : unreachable.remove(m.address()) != null;
      if (changed) {
        getTimers().startSingleTimer(Stable.INSTANCE, Stable.INSTANCE, stableAfter);
      }
    }

    private void decide() {
      Map<Address, String> roles = new HashMap<>();
      unreachable.forEach((a, m) -> roles.put(a, role(m)));
      Address self = cluster.selfAddress();
      Set<Address> down = DowningRule.toDown(self, role(cluster.selfMember()), roles);
      for (Address a : down) {
        LOG.warn(
            "downing {} after {} ms of the same unreachable members {}",
            a.equals(self) ? "this node (the supervisor is unreachable)" : a,
            stableAfter.toMillis(),
            roles.keySet());
        cluster.down(a);
      }
    }

    private static String role(Member m) {
      return m.hasRole(ClusterConfig.SUPERVISOR) ? ClusterConfig.SUPERVISOR : ClusterConfig.WORKER;
    }
  }
}
