package dev.vitrail.encoders.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.encoders.golden.Fixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafetensorsHeaderTest {
  private static final String TWO =
      "{\"__metadata__\":{\"format\":\"pt\"},"
          + "\"b/bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,32]},"
          + "\"a.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
          + "\"s\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[32,40]}}";

  static byte[] file(String json, int dataBytes) {
    byte[] h = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    return b.array();
  }

  @Test
  void parsesEntriesInOffsetOrderWithMetadata() {
    SafetensorsHeader h = SafetensorsHeader.parse(ByteBuffer.wrap(file(TWO, 40)));
    assertEquals(List.of("a.weight", "b/bias", "s"), List.copyOf(h.entries().keySet()));
    SafetensorsHeader.Entry w = h.entry("a.weight");
    assertEquals("F32", w.dtype());
    assertArrayEquals(new long[] {2, 3}, w.shape());
    assertEquals(6, w.numel());
    assertEquals(24, w.byteLength());
    assertEquals(1, h.entry("s").numel());
    assertEquals(SafetensorsDtype.I64, h.entry("s").dtypeKind());
    assertEquals("pt", h.metadata().get("format"));
    assertEquals(8 + TWO.getBytes(StandardCharsets.UTF_8).length, h.dataStart());
    assertEquals(40, h.dataLength());
  }

  @Test
  void leavesTheBufferPositionAlone() {
    ByteBuffer buf = ByteBuffer.wrap(file(TWO, 40));
    SafetensorsHeader.parse(buf);
    assertEquals(0, buf.position());
  }

  @Test
  void entryShapeIsACopy() {
    SafetensorsHeader.Entry w =
        SafetensorsHeader.parse(ByteBuffer.wrap(file(TWO, 40))).entry("a.weight");
    w.shape()[0] = 99;
    assertArrayEquals(new long[] {2, 3}, w.shape());
  }

  @Test
  void missingTensorNamesWhatExists() {
    SafetensorsHeader h = SafetensorsHeader.parse(ByteBuffer.wrap(file(TWO, 40)));
    SafetensorsException e = assertThrows(SafetensorsException.class, () -> h.entry("nope"));
    assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("a.weight"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[1,2]",
        "{\"x\":{\"dtype\":\"F33\",\"shape\":[1],\"data_offsets\":[0,4]}}",
        "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}",
        "{\"x\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}",
        "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}",
        "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
        "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}",
        "{\"x\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}",
        "{\"x\":{\"dtype\":\"F32\",\"shape\":[1]}}",
        "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"extra\":1}}",
        "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
            + "\"y\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
        "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
            + "\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
        "{\"__metadata__\":{\"n\":1}}",
        "{\"x\":3}",
        "{\"x\":{}} trailing",
        "{not json"
      })
  void rejectsMalformedHeaders(String json) {
    assertThrows(
        SafetensorsException.class, () -> SafetensorsHeader.parse(ByteBuffer.wrap(file(json, 64))));
  }

  @Test
  void rejectsBadLengthsAndTruncation() {
    assertThrows(SafetensorsException.class, () -> SafetensorsHeader.parse(ByteBuffer.allocate(5)));
    ByteBuffer zero = ByteBuffer.allocate(16);
    assertThrows(SafetensorsException.class, () -> SafetensorsHeader.parse(zero));
    byte[] full = file(TWO, 40);
    ByteBuffer cut = ByteBuffer.wrap(full, 0, 30).slice();
    assertThrows(SafetensorsException.class, () -> SafetensorsHeader.parse(cut));
    ByteBuffer huge =
        ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE);
    assertThrows(SafetensorsException.class, () -> SafetensorsHeader.parse(huge));
    byte[] notUtf8 = file("{\"\u00e9\":1}", 0);
    notUtf8[10] = (byte) 0xff;
    assertThrows(
        SafetensorsException.class, () -> SafetensorsHeader.parse(ByteBuffer.wrap(notUtf8)));
  }

  @Test
  void readChecksTheFileHoldsTheData(@TempDir Path dir) throws IOException {
    Path ok = dir.resolve("ok.safetensors");
    Files.write(ok, file(TWO, 40));
    try (FileChannel ch = FileChannel.open(ok, StandardOpenOption.READ)) {
      assertEquals(3, SafetensorsHeader.read(ch).entries().size());
    }
    Path cut = dir.resolve("cut.safetensors");
    byte[] full = file(TWO, 40);
    Files.write(cut, java.util.Arrays.copyOf(full, full.length - 1));
    try (FileChannel ch = FileChannel.open(cut, StandardOpenOption.READ)) {
      SafetensorsException e =
          assertThrows(SafetensorsException.class, () -> SafetensorsHeader.read(ch));
      assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
    Path stub = dir.resolve("stub.safetensors");
    Files.write(stub, java.util.Arrays.copyOf(full, 20));
    try (FileChannel ch = FileChannel.open(stub, StandardOpenOption.READ)) {
      assertThrows(SafetensorsException.class, () -> SafetensorsHeader.read(ch));
    }
  }

  @Test
  void readsTheGoldenFile() throws IOException {
    try (FileChannel ch =
        FileChannel.open(
            Fixtures.file("functions/dp_sharded.safetensors"), StandardOpenOption.READ)) {
      SafetensorsHeader h = SafetensorsHeader.read(ch);
      SafetensorsHeader.Entry w = h.entry("plain/weight");
      assertEquals("F32", w.dtype());
      assertEquals(2, w.shape().length);
      assertEquals(ch.size(), h.dataStart() + h.dataLength());
    }
  }
}
