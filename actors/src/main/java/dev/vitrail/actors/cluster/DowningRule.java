package dev.vitrail.actors.cluster;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which members a node downs once the unreachable members have stayed the same for {@code
 * stable-after} ({@link SupervisorDowning}): the supervisor downs every unreachable worker and
 * never a supervisor; a worker downs only itself, and only when a supervisor is unreachable (it
 * then rejoins). Workers never down each other, and no node's observations can get the supervisor
 * downed. Pure: members are any keys, with their roles.
 */
final class DowningRule {
  private DowningRule() {}

  /**
   * The members {@code self} (of role {@code selfRole}) downs, given the unreachable members and
   * their roles.
   */
  static <A> Set<A> toDown(A self, String selfRole, Map<A, String> unreachableRoles) {
    if (ClusterConfig.SUPERVISOR.equals(selfRole)) {
      return unreachableRoles.entrySet().stream()
          .filter(e -> !ClusterConfig.SUPERVISOR.equals(e.getValue()) && !e.getKey().equals(self))
          .map(Map.Entry::getKey)
          .collect(Collectors.toUnmodifiableSet());
    }
    return unreachableRoles.containsValue(ClusterConfig.SUPERVISOR) ? Set.of(self) : Set.of();
  }
}
