package dev.vitrail.runtime.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vitrail.encoders.api.FeatureOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileWriterTest {
  @TempDir Path dir;

  @Test
  void tensorsComeBackWithTheirNamesShapesAndValues() throws Exception {
    Path file = dir.resolve("out.safetensors");
    try (SafetensorsFileWriter w = SafetensorsFileWriter.create(file)) {
      w.add("a/b \"quoted\".png", new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, -6.5f});
      w.add("pooled", new int[] {1}, new float[] {Float.MIN_VALUE});
      w.add("empty", new int[] {0, 4}, new float[0]);
      w.finish(Map.of("model", "m"));
    }
    Map<String, FeatureOutput> back = SafetensorsFiles.read(file);
    assertEquals(List.of("a/b \"quoted\".png", "pooled", "empty"), List.copyOf(back.keySet()));
    assertArrayEquals(new int[] {2, 3}, back.get("a/b \"quoted\".png").shape());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, -6.5f}, back.get("a/b \"quoted\".png").values());
    assertArrayEquals(new float[] {Float.MIN_VALUE}, back.get("pooled").values());
    assertEquals("m", SafetensorsFiles.header(Files.readAllBytes(file)).metadata().get("model"));
    // The header is padded to 8 bytes, so the data starts aligned.
    assertEquals(0, SafetensorsFiles.header(Files.readAllBytes(file)).dataStart() % 8);
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(file), left.toList());
    }
  }

  @Test
  void theMetadataIsWrittenInKeyOrderWhateverOrderTheMapIteratesIn() {
    Map<String, String> forward = new java.util.LinkedHashMap<>();
    Map<String, String> backward = new java.util.LinkedHashMap<>();
    for (String k : List.of("model", "format", "family")) {
      forward.put(k, k.toUpperCase());
    }
    for (String k : List.of("family", "format", "model")) {
      backward.put(k, k.toUpperCase());
    }
    byte[] a = SafetensorsHeaderWriter.render(List.of(), forward);
    assertArrayEquals(a, SafetensorsHeaderWriter.render(List.of(), backward));
    String json = new String(a, 8, a.length - 8, java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(
        "{\"__metadata__\":{\"family\":\"FAMILY\",\"format\":\"FORMAT\",\"model\":\"MODEL\"}}",
        json.trim());
  }

  @Test
  void badTensorsAreRejectedAndAnUnfinishedFileLeavesNothing() throws Exception {
    Path file = dir.resolve("x.safetensors");
    try (SafetensorsFileWriter w = SafetensorsFileWriter.create(file)) {
      w.add("t", new int[] {2}, new float[] {1, 2});
      assertThrows(
          IllegalArgumentException.class, () -> w.add("u", new int[] {3}, new float[] {1}));
      assertThrows(
          IllegalArgumentException.class,
          () -> w.add("__metadata__", new int[] {1}, new float[] {1}));
      assertThrows(
          IllegalArgumentException.class, () -> w.add("t", new int[] {2}, new float[] {1, 2}));
    }
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(), left.toList());
    }
    assertThrows(
        IllegalArgumentException.class,
        () ->
            SafetensorsHeaderWriter.render(
                List.of(new TensorEntry("t", new int[] {1}), new TensorEntry("t", new int[] {1})),
                Map.of()));
    assertThrows(
        java.io.IOException.class, () -> SafetensorsFileWriter.create(dir.resolve("no/such/x.st")));
  }
}
