package dev.vitrail.encoders.sharding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.encoders.golden.Fixtures;
import dev.vitrail.encoders.golden.GoldenTensors;
import dev.vitrail.encoders.golden.TensorJson;
import dev.vitrail.encoders.tensor.NativeTorch;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every case and world size of {@code functions/dp_sharded.json}, compared exactly. */
class DpShardingGoldenTest {
  private static GoldenTensors tensors;

  @BeforeAll
  static void load() {
    NativeTorch.load();
    tensors = GoldenTensors.open("functions/dp_sharded.safetensors");
  }

  private static Stream<Named<JsonNode[]>> expand(String key) {
    JsonNode cases = Fixtures.json("functions/dp_sharded.json").get(key);
    return StreamSupport.stream(cases.spliterator(), false)
        .flatMap(
            c ->
                StreamSupport.stream(c.get("world_sizes").spliterator(), false)
                    .map(
                        ws ->
                            Named.of(
                                c.get("name").asText() + " ws" + ws.get("world_size"),
                                new JsonNode[] {c, ws})));
  }

  static Stream<Named<JsonNode[]>> plain() {
    return expand("plain_cases");
  }

  static Stream<Named<JsonNode[]>> mrope() {
    return expand("mrope_cases");
  }

  private static void assertExact(String name, Tensor actual) {
    TensorJson.assertClose(tensors.shape(name), tensors.floats(name), actual, 0, 0, name);
  }

  @ParameterizedTest
  @MethodSource("plain")
  void plainLayoutMatches(JsonNode[] cw) {
    JsonNode c = cw[0];
    JsonNode ws = cw[1];
    try (PointerScope scope = new PointerScope()) {
      FakeModels m = new FakeModels(tensors.tensor("plain/weight"), tensors.tensor("plain/bias"));
      int world = ws.get("world_size").asInt();
      PlainShardedRun run =
          DpSharding.runVisionModel(
              tensors.tensor(c.get("input_tensor").asText()), world, m::linear);
      assertEquals(ws.get("num_chunks_per_rank").asLong(), run.chunksPerRank());
      assertEquals(ws.get("num_padded_chunks").asLong(), run.paddedChunks());
      assertEquals(world, m.calls.get());
      assertArrayEquals(
          TensorJson.longs(ws.get("gathered_shape")), TensorJson.shape(run.gathered()));
      assertExact(ws.get("gathered_tensor").asText(), run.gathered());
      assertExact(c.get("expected_tensor").asText(), run.output());
    }
  }

  @ParameterizedTest
  @MethodSource("mrope")
  void mropeLayoutMatches(JsonNode[] cw) {
    JsonNode c = cw[0];
    JsonNode ws = cw[1];
    int world = ws.get("world_size").asInt();
    String rope = c.get("rope_type").asText();
    List<long[]> grids = new ArrayList<>();
    c.get("grid_thw_list").forEach(g -> grids.add(TensorJson.longs(g)));
    long[] patches = TensorJson.longs(c.get("patches_per_image"));
    BalancePolicy recorded =
        (sizes, w) -> {
          assertArrayEquals(patches, sizes, "sizes handed to the balancer");
          assertEquals(world, w);
          return new ShardAssignment(
              Stream.of(TensorJson.longs(ws.get("shuffle_indices")))
                  .flatMapToLong(java.util.Arrays::stream)
                  .mapToInt(x -> (int) x)
                  .toArray(),
              java.util.Arrays.stream(TensorJson.longs(ws.get("gpu_sample_counts")))
                  .mapToInt(x -> (int) x)
                  .toArray(),
              TensorJson.longs(ws.get("grouped_pixel_values_len")));
        };
    try (PointerScope scope = new PointerScope()) {
      FakeModels m =
          new FakeModels(tensors.tensor(rope + "/weight"), tensors.tensor(rope + "/bias"));
      Tensor pixels = tensors.tensor(c.get("pixel_values_tensor").asText());
      long hidden = tensors.shape(rope + "/weight")[0];
      MropeShardedRun run =
          rope.equals("rope_3d")
              ? DpSharding.runRope3d(m::rope3d, 2, (int) hidden, pixels, grids, world, recorded)
              : DpSharding.runRope2d(
                  m::rope2d, new int[] {2, 2}, (int) hidden, pixels, grids, world, recorded);
      assertEquals(ws.get("max_len_per_rank").asLong(), run.maxLenPerRank());
      assertArrayEquals(
          TensorJson.longs(ws.get("gathered_shape")), TensorJson.shape(run.gathered()));
      int busyRanks = 0;
      for (JsonNode rj : ws.get("ranks")) {
        RankShard r = run.ranks().get(rj.get("rank").asInt());
        String what = "rank " + r.rank();
        assertArrayEquals(
            TensorJson.longs(rj.get("image_indices")),
            java.util.Arrays.stream(r.imageIndices()).asLongStream().toArray(),
            what);
        assertEquals(rj.get("local_patch_rows").asLong(), r.patchRows(), what);
        assertEquals(rj.get("local_output_rows").asLong(), r.outputRows(), what);
        assertEquals(rj.get("padding_rows").asLong(), r.paddingRows(), what);
        assertArrayEquals(
            TensorJson.longs(rj.get("gathered_row_range")),
            new long[] {r.gatheredBegin(), r.gatheredEnd()},
            what);
        busyRanks += r.patchRows() > 0 ? 1 : 0;
      }
      assertEquals(
          busyRanks, m.calls.get(), "model calls: one per rank with images, none otherwise");
      JsonNode expected = c.get("expected_output_tensors");
      assertEquals(expected.size(), run.outputs().size());
      for (int i = 0; i < expected.size(); i++) {
        assertExact(expected.get(i).asText(), run.outputs().get(i));
      }
    }
  }
}
