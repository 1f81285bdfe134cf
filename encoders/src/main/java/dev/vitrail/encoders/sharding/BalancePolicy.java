package dev.vitrail.encoders.sharding;

/**
 * Assigns images of the given sizes to {@code worldSize} ranks; vLLM's {@code
 * get_load_balance_assignment} (the actors module's balancer) is the reference policy.
 */
@FunctionalInterface
public interface BalancePolicy {
  /** Returns the assignment of {@code sizes.length} images to {@code worldSize} ranks. */
  ShardAssignment assign(long[] sizes, int worldSize);
}
