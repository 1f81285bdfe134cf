package dev.vitrail.encoders.sharding;

/**
 * Assigns images of the given sizes to {@code worldSize} ranks: the one balancing abstraction of
 * the sharding functions and the actors. {@link #VLLM}, vLLM's {@code get_load_balance_assignment},
 * is the reference policy and the default.
 */
@FunctionalInterface
public interface BalancePolicy {
  /** vLLM's {@code get_load_balance_assignment} ({@link LoadBalancer}). */
  BalancePolicy VLLM = LoadBalancer::assign;

  /** Returns the assignment of {@code sizes.length} images to {@code worldSize} ranks. */
  ShardAssignment assign(long[] sizes, int worldSize);
}
