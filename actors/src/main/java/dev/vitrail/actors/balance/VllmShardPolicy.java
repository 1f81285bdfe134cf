package dev.vitrail.actors.balance;

import dev.vitrail.encoders.sharding.BalancePolicy;
import dev.vitrail.encoders.sharding.ShardAssignment;

/** {@link LoadBalancer} as the balance policy of the tensor-level {@code DpSharding} simulation. */
public final class VllmShardPolicy implements BalancePolicy {
  @Override
  public ShardAssignment assign(long[] sizes, int worldSize) {
    Assignment a = LoadBalancer.assign(sizes, worldSize);
    return new ShardAssignment(a.shuffleIndices(), a.counts(), a.loads());
  }
}
