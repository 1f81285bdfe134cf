package dev.vitrail.actors.balance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.actors.golden.Fixtures;
import dev.vitrail.encoders.sharding.BalancePolicy;
import dev.vitrail.encoders.sharding.ShardAssignment;
import org.junit.jupiter.api.Test;

class VllmBalancePolicyTest {
  @Test
  void givesTheRecordedAssignmentOfEveryShardedCase() {
    JsonNode cases = Fixtures.json("functions/dp_sharded.json").get("mrope_cases");
    BalancePolicy policy = BalancePolicy.VLLM;
    for (JsonNode c : cases) {
      long[] sizes = LoadBalancerGoldenTest.longs(c.get("patches_per_image"));
      for (JsonNode ws : c.get("world_sizes")) {
        ShardAssignment a = policy.assign(sizes, ws.get("world_size").asInt());
        assertArrayEquals(
            LoadBalancerGoldenTest.ints(ws.get("shuffle_indices")), a.shuffleIndices());
        assertArrayEquals(
            LoadBalancerGoldenTest.ints(ws.get("gpu_sample_counts")), a.sampleCounts());
        assertArrayEquals(
            LoadBalancerGoldenTest.longs(ws.get("grouped_pixel_values_len")), a.loads());
      }
    }
  }
}
