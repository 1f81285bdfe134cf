package dev.vitrail.actors.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.actors.golden.Fixtures;
import dev.vitrail.encoders.api.FeatureOutput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class GatherLayoutGoldenTest {
  private static final JsonNode FIXTURE = Fixtures.json("functions/dp_sharded.json");

  @TestFactory
  List<DynamicTest> mropeLayoutsMatchVllm() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : FIXTURE.get("mrope_cases")) {
      for (JsonNode ws : c.get("world_sizes")) {
        tests.add(
            DynamicTest.dynamicTest(
                c.get("name").asText() + " ws" + ws.get("world_size").asInt(),
                () -> checkMrope(c, ws)));
      }
    }
    assertFalse(tests.isEmpty(), "dp_sharded.json has no mrope cases");
    return tests;
  }

  private static void checkMrope(JsonNode c, JsonNode ws) {
    long[] patches = longs(c.get("patches_per_image"));
    int workers = ws.get("world_size").asInt();
    GatherLayout layout =
        GatherLayout.mrope(patches, ws.get("embed_dim_reduction_factor").asInt(), workers);
    assertArrayEquals(ints(ws.get("shuffle_indices")), layout.assignment().shuffleIndices());
    assertArrayEquals(ints(ws.get("gpu_sample_counts")), layout.assignment().sampleCounts());
    assertArrayEquals(longs(ws.get("grouped_pixel_values_len")), layout.assignment().loads());
    assertEquals(ws.get("max_len_per_rank").asInt(), layout.maxLenPerRank());
    assertEquals(ws.get("gathered_rows").asInt(), layout.gatheredRows());
    for (JsonNode rank : ws.get("ranks")) {
      int r = rank.get("rank").asInt();
      assertArrayEquals(ints(rank.get("image_indices")), layout.assignment().imagesOf(r));
      assertEquals(rank.get("local_output_rows").asInt(), layout.localOutputRows()[r]);
      assertEquals(rank.get("padding_rows").asInt(), layout.paddingRows(r));
      assertArrayEquals(ints(rank.get("gathered_row_range")), layout.gatheredRowRange(r));
    }
    // Each image's rows land inside its rank's gathered range, in assignment order.
    List<FeatureOutput> outs = new ArrayList<>();
    JsonNode shapes = c.get("expected_output_shapes");
    for (int i = 0; i < patches.length; i++) {
      int[] shape = ints(shapes.get(i));
      int n = 1;
      for (int d : shape) {
        n *= d;
      }
      float[] v = new float[n];
      Arrays.fill(v, i + 1);
      outs.add(new FeatureOutput(v, shape));
    }
    PaddedGather g = PaddedGather.assemble(layout, outs);
    int rowSize = g.shape().length == 0 ? 0 : g.values().length / Math.max(1, g.shape()[0]);
    if (patches.length > 0) {
      assertArrayEquals(ints(ws.get("gathered_shape")), g.shape());
    } else {
      assertEquals(
          ws.get("gathered_shape").get(0).asInt(), g.shape()[0]); // no image gives the row shape
    }
    for (JsonNode rank : ws.get("ranks")) {
      int row = rank.get("gathered_row_range").get(0).asInt();
      for (int image : ints(rank.get("image_indices"))) {
        int rows = ints(shapes.get(image))[0];
        for (int k = row * rowSize; k < (row + rows) * rowSize; k++) {
          assertEquals(image + 1, g.values()[k], "row data of image " + image);
        }
        row += rows;
      }
    }
  }

  @TestFactory
  List<DynamicTest> chunkLayoutsMatchVllm() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : FIXTURE.get("plain_cases")) {
      for (JsonNode ws : c.get("world_sizes")) {
        tests.add(
            DynamicTest.dynamicTest(
                c.get("name").asText() + " ws" + ws.get("world_size").asInt(),
                () -> {
                  ChunkLayout l =
                      new ChunkLayout(c.get("num_chunks").asInt(), ws.get("world_size").asInt());
                  assertEquals(ws.get("num_chunks_per_rank").asInt(), l.chunksPerRank());
                  assertEquals(ws.get("num_padded_chunks").asInt(), l.paddedChunks());
                  for (int r = 0; r < l.workers(); r++) {
                    assertArrayEquals(ints(ws.get("rank_input_ranges").get(r)), l.rankRange(r));
                    assertEquals(ws.get("rank_real_chunks").get(r).asInt(), l.realChunks(r));
                  }
                  assertEquals(
                      ws.get("gathered_shape").get(0).asInt(), l.chunksPerRank() * l.workers());
                }));
      }
    }
    return tests;
  }

  private static long[] longs(JsonNode n) {
    return StreamSupport.stream(n.spliterator(), false).mapToLong(JsonNode::asLong).toArray();
  }

  private static int[] ints(JsonNode n) {
    return StreamSupport.stream(n.spliterator(), false).mapToInt(JsonNode::asInt).toArray();
  }
}
