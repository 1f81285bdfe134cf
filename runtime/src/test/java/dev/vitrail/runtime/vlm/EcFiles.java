package dev.vitrail.runtime.vlm;

import dev.vitrail.encoders.weights.SafetensorsHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Reads encoder-cache files back with the project's validating safetensors parser (tests). */
final class EcFiles {
  private EcFiles() {}

  /** The one tensor of a file: its header entry and its data bytes. */
  record Tensor(SafetensorsHeader.Entry entry, byte[] data) {}

  /** Parses {@code file}, requiring exactly one tensor named {@code ec_cache}. */
  static Tensor read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    SafetensorsHeader h = SafetensorsHeader.parse(ByteBuffer.wrap(bytes));
    h.requireFileSize(bytes.length);
    if (h.entries().size() != 1 || !h.entries().containsKey(EcStore.TENSOR)) {
      throw new AssertionError("expected exactly one tensor ec_cache, got " + h.entries().keySet());
    }
    SafetensorsHeader.Entry e = h.entry(EcStore.TENSOR);
    int from = (int) (h.dataStart() + e.begin());
    return new Tensor(e, Arrays.copyOfRange(bytes, from, from + (int) e.byteLength()));
  }

  /** Every file under {@code dir}, recursively (to check that nothing partial is left). */
  static List<Path> all(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> !p.equals(dir)).sorted().toList();
    }
  }
}
