package dev.vitrail.encoders.info;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.encoders.golden.Fixtures;
import dev.vitrail.encoders.golden.TensorJson;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every case of {@code functions/mrope_pos_ids.json}. */
class MropePositionsGoldenTest {
  static Stream<Named<JsonNode>> cases() {
    JsonNode cases = Fixtures.json("functions/mrope_pos_ids.json").get("cases");
    return StreamSupport.stream(cases.spliterator(), false)
        .map(c -> Named.of(c.get("name").asText(), c));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void matchesTheReference(JsonNode c) {
    if (c.has("expected_error")) {
      assertThrows(RuntimeException.class, () -> run(c));
      return;
    }
    long[][] got = run(c);
    long[] shape = TensorJson.longs(c.get("expected_shape"));
    assertEquals(shape[0], got.length);
    for (int row = 0; row < got.length; row++) {
      assertEquals(shape[1], got[row].length, "row length");
      assertArrayEquals(TensorJson.longs(c.get("expected").get(row)), got[row], "row " + row);
    }
  }

  private static long[][] run(JsonNode c) {
    return MropePositions.forVision(
        c.get("start_idx").asLong(),
        c.get("vision_idx").asInt(),
        c.get("spatial_merge_size").asInt(),
        TensorJson.longs(c.get("t_index")),
        TensorJson.longs(c.get("grid_hs")),
        TensorJson.longs(c.get("grid_ws")));
  }

  @Test
  void rejectsBadArguments() {
    long[] g = {4};
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> MropePositions.forVision(0, 1, 2, new long[] {0}, g, g));
    assertThrows(
        IllegalArgumentException.class,
        () -> MropePositions.forVision(0, 0, 0, new long[] {0}, g, g));
    assertEquals(
        4,
        MropePositions.forVision(0, -1, 1, new long[] {0}, new long[] {2}, new long[] {2})[0]
            .length);
  }
}
