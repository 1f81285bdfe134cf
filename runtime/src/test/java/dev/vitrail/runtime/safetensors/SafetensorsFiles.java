package dev.vitrail.runtime.safetensors;

import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.weights.SafetensorsHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads F32 safetensors back with the project's validating header parser (tests only). */
public final class SafetensorsFiles {
  private SafetensorsFiles() {}

  /** The parsed header of a whole file or body (also checks that the data section fits exactly). */
  public static SafetensorsHeader header(byte[] bytes) {
    SafetensorsHeader h = SafetensorsHeader.parse(ByteBuffer.wrap(bytes));
    h.requireFileSize(bytes.length);
    return h;
  }

  /** Every tensor of a file, by name, in data order. */
  public static Map<String, FeatureOutput> read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    SafetensorsHeader h = header(bytes);
    Map<String, FeatureOutput> out = new LinkedHashMap<>();
    h.entries().values().stream()
        .sorted((a, b) -> Long.compare(a.begin(), b.begin()))
        .forEach(
            e -> {
              if (!e.dtype().equals("F32")) {
                throw new IllegalStateException(e.name() + " is " + e.dtype());
              }
              float[] v = new float[(int) ((e.end() - e.begin()) / 4)];
              ByteBuffer.wrap(bytes, (int) (h.dataStart() + e.begin()), v.length * 4)
                  .slice()
                  .order(ByteOrder.LITTLE_ENDIAN)
                  .asFloatBuffer()
                  .get(v);
              out.put(
                  e.name(),
                  new FeatureOutput(
                      v, Arrays.stream(e.shape()).mapToInt(Math::toIntExact).toArray()));
            });
    return out;
  }
}
