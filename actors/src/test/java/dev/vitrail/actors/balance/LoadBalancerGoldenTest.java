package dev.vitrail.actors.balance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.actors.golden.Fixtures;
import dev.vitrail.encoders.sharding.LoadBalancer;
import dev.vitrail.encoders.sharding.ShardAssignment;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class LoadBalancerGoldenTest {
  @TestFactory
  List<DynamicTest> everyCaseMatchesVllm() {
    JsonNode cases = Fixtures.json("functions/load_balance.json").get("cases");
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : cases) {
      tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> check(c)));
    }
    if (tests.isEmpty()) {
      throw new AssertionError("load_balance.json has no cases");
    }
    return tests;
  }

  private static void check(JsonNode c) {
    long[] sizes = longs(c.get("sizes"));
    int workers = c.get("num_gpus").asInt();
    if (c.has("expected_error")) {
      assertThrows(IllegalArgumentException.class, () -> LoadBalancer.assign(sizes, workers));
      return;
    }
    ShardAssignment a = LoadBalancer.assign(sizes, workers);
    assertArrayEquals(ints(c.get("shuffle_indices")), a.shuffleIndices(), "shuffle_indices");
    assertArrayEquals(ints(c.get("gpu_sample_counts")), a.sampleCounts(), "gpu_sample_counts");
    assertArrayEquals(longs(c.get("grouped_sizes_per_gpu")), a.loads(), "grouped_sizes_per_gpu");
  }

  static long[] longs(JsonNode n) {
    return StreamSupport.stream(n.spliterator(), false).mapToLong(JsonNode::asLong).toArray();
  }

  static int[] ints(JsonNode n) {
    return StreamSupport.stream(n.spliterator(), false).mapToInt(JsonNode::asInt).toArray();
  }
}
