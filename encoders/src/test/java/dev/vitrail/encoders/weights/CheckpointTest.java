package dev.vitrail.encoders.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.encoders.golden.Fixtures;
import dev.vitrail.encoders.tensor.ComputeTarget;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class CheckpointTest {
  @TempDir Path tmp;

  @Test
  void viewsEveryTensorOfTheTinyCheckpointsWithTheirStoredBytes() throws IOException {
    for (String model : List.of("clip-tiny", "siglip-tiny")) {
      Path file = Fixtures.file("models/" + model).resolve("model.safetensors");
      ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
      try (Checkpoint ckpt = Checkpoint.open(Fixtures.file("models/" + model))) {
        assertTrue(ckpt.keys().size() > 0);
        SafetensorsHeader header = SafetensorsFile.readHeader(file);
        for (String key : ckpt.keys()) {
          SafetensorsHeader.Entry e = ckpt.entry(key);
          try (Tensor t = ckpt.view(key)) {
            assertArrayEquals(e.shape(), t.shape(), key);
            float[] got = TestTensors.floats(t);
            for (int i = 0; i < got.length; i += Math.max(1, got.length / 7)) {
              float want = raw.getFloat((int) (header.dataStart() + e.begin() + 4L * i));
              assertEquals(want, got[i], key + "[" + i + "]");
            }
          }
        }
      }
    }
  }

  @Test
  void upcastsF16WeightsToTheComputeDtype() {
    Path dir = Fixtures.file("models/" + "clip-tiny");
    try (Checkpoint f32 = Checkpoint.open(dir.resolve("model.safetensors"));
        Checkpoint f16 = Checkpoint.open(dir.resolve("model-f16.safetensors"))) {
      WeightMap a = WeightMap.bind(f32, ComputeTarget.cpuFloat(), "vision_model.");
      WeightMap b = WeightMap.bind(f16, ComputeTarget.cpuFloat(), "vision_model.");
      String name = "post_layernorm.weight";
      long dim = f32.entry("vision_model." + name).shape()[0];
      try (Tensor x = a.take(name, dim);
          Tensor y = b.take(name, dim)) {
        assertEquals("F16", f16.entry("vision_model." + name).dtype());
        float[] fx = TestTensors.floats(x);
        float[] fy = TestTensors.floats(y);
        for (int i = 0; i < fx.length; i++) {
          assertEquals(fx[i], fy[i], Math.abs(fx[i]) * 1e-3 + 1e-6);
        }
      }
    }
  }

  @Test
  void missingTensorNamesKeyAndExpectedShape() {
    try (Checkpoint ckpt = Checkpoint.open(Fixtures.file("models/" + "clip-tiny"))) {
      WeightMap w = WeightMap.bind(ckpt, ComputeTarget.cpuFloat(), "vision_model.");
      CheckpointException e =
          assertThrows(CheckpointException.class, () -> w.take("no.such.weight", 7, 3));
      assertTrue(e.getMessage().contains("vision_model.no.such.weight"), e.getMessage());
      assertTrue(e.getMessage().contains("[7, 3]"), e.getMessage());
    }
  }

  @Test
  void wrongShapeNamesKeyExpectedAndFound() {
    try (Checkpoint ckpt = Checkpoint.open(Fixtures.file("models/" + "clip-tiny"))) {
      WeightMap w = WeightMap.bind(ckpt, ComputeTarget.cpuFloat(), "vision_model.");
      long[] found = ckpt.entry("vision_model.post_layernorm.weight").shape();
      CheckpointException e =
          assertThrows(
              CheckpointException.class, () -> w.take("post_layernorm.weight", found[0] + 1));
      String msg = e.getMessage();
      assertTrue(msg.contains("vision_model.post_layernorm.weight"), msg);
      assertTrue(
          msg.contains("[" + found[0] + "]") && msg.contains("[" + (found[0] + 1) + "]"), msg);
    }
  }

  @Test
  void truncatedFileIsRejected() throws IOException {
    Path src = Fixtures.file("models/" + "clip-tiny").resolve("model.safetensors");
    Path cut = tmp.resolve("model.safetensors");
    byte[] all = Files.readAllBytes(src);
    Files.write(cut, java.util.Arrays.copyOf(all, all.length - 100));
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(tmp));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void badHeadersAreRejected() throws IOException {
    Path f = tmp.resolve("bad.safetensors");
    // header length far beyond the file
    Files.write(
        f, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
    assertThrows(CheckpointException.class, () -> Checkpoint.open(f));
    // not JSON
    writeHeader(f, "{\"a\": [1, 2", 0);
    assertThrows(CheckpointException.class, () -> Checkpoint.open(f));
    // offsets that disagree with dtype and shape
    writeHeader(f, "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", 16);
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(f));
    assertTrue(e.getMessage().contains("'w'"), e.getMessage());
    // unknown dtype
    writeHeader(f, "{\"w\":{\"dtype\":\"Q4\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2);
    assertThrows(CheckpointException.class, () -> Checkpoint.open(f));
    // too short for a header at all
    Files.write(f, new byte[] {1, 2, 3});
    assertThrows(CheckpointException.class, () -> Checkpoint.open(f));
  }

  private static void writeHeader(Path f, String json, int dataBytes) throws IOException {
    byte[] h = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    try (FileChannel ch =
        FileChannel.open(
            f,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ch.write(b.flip());
    }
  }
}
