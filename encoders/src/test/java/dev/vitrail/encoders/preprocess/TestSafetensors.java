package dev.vitrail.encoders.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** A test-side safetensors reader: raw little-endian bytes of one named tensor. */
final class TestSafetensors {
  private final byte[] data;
  private final JsonNode header;
  private final int dataStart;

  private TestSafetensors(byte[] data) throws IOException {
    this.data = data;
    long n = ByteBuffer.wrap(data, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    this.header = new ObjectMapper().readTree(new String(data, 8, (int) n, StandardCharsets.UTF_8));
    this.dataStart = 8 + (int) n;
  }

  static TestSafetensors open(Path file) throws IOException {
    return new TestSafetensors(Files.readAllBytes(file));
  }

  int[] shape(String name) {
    JsonNode t = entry(name);
    int[] s = new int[t.get("shape").size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = t.get("shape").get(i).intValue();
    }
    return s;
  }

  String dtype(String name) {
    return entry(name).get("dtype").textValue();
  }

  byte[] bytes(String name) {
    JsonNode off = entry(name).get("data_offsets");
    return Arrays.copyOfRange(
        data, dataStart + off.get(0).intValue(), dataStart + off.get(1).intValue());
  }

  float[] floats(String name) {
    byte[] b = bytes(name);
    float[] f = new float[b.length / 4];
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
    return f;
  }

  private JsonNode entry(String name) {
    JsonNode t = header.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no tensor " + name);
    }
    return t;
  }
}
