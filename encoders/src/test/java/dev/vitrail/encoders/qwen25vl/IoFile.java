package dev.vitrail.encoders.qwen25vl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Test-only reader of the fixtures' small io safetensors files (F32 and I64). */
final class IoFile {
  private final JsonNode header;
  private final ByteBuffer data;

  private IoFile(JsonNode header, ByteBuffer data) {
    this.header = header;
    this.data = data;
  }

  static IoFile read(Path file) throws IOException {
    ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    int n = (int) all.getLong(0);
    JsonNode header =
        new ObjectMapper().readTree(new String(all.array(), 8, n, StandardCharsets.UTF_8));
    ByteBuffer data = all.position(8 + n).slice().order(ByteOrder.LITTLE_ENDIAN);
    return new IoFile(header, data);
  }

  List<String> names() {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = header.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!k.equals("__metadata__")) {
        out.add(k);
      }
    }
    return out;
  }

  String dtype(String name) {
    return entry(name).get("dtype").asText();
  }

  int[] shape(String name) {
    JsonNode s = entry(name).get("shape");
    int[] out = new int[s.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = s.get(i).asInt();
    }
    return out;
  }

  float[] floats(String name) {
    JsonNode e = entry(name);
    int begin = e.get("data_offsets").get(0).asInt();
    float[] out = new float[(e.get("data_offsets").get(1).asInt() - begin) / 4];
    data.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(begin).asFloatBuffer().get(out);
    return out;
  }

  long[] longs(String name) {
    JsonNode e = entry(name);
    int begin = e.get("data_offsets").get(0).asInt();
    long[] out = new long[(e.get("data_offsets").get(1).asInt() - begin) / 8];
    data.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(begin).asLongBuffer().get(out);
    return out;
  }

  private JsonNode entry(String name) {
    JsonNode e = header.get(name);
    if (e == null) {
      throw new IllegalArgumentException("no tensor " + name);
    }
    return e;
  }
}
