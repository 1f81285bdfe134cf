package dev.vitrail.actors.cluster;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.PixelInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Jackson module (registered by {@link ClusterConfig}) that puts pixels and features on the
 * wire compactly: pixels as {@link PixelCodes} (one byte per value, lossless) where their source
 * allows, otherwise as little-endian float32 bytes; features as float32 bytes (CBOR would spend 5
 * bytes per float as numbers).
 */
public final class WireModule extends SimpleModule {
  private static final long serialVersionUID = 1L;

  /** Registers the serializers; Pekko instantiates it by name. */
  public WireModule() {
    super("vitrail-wire");
    addSerializer(PixelInput.class, new PixelWriter());
    addDeserializer(PixelInput.class, new PixelReader());
    addSerializer(FeatureOutput.class, new FeatureWriter());
    addDeserializer(FeatureOutput.class, new FeatureReader());
  }

  /** Estimated wire bytes of {@code input} (an upper bound: floats are not always needed). */
  public static long wireBytes(PixelInput input) {
    return 4L * input.values().length + 64;
  }

  static byte[] floatBytes(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return b.array();
  }

  static float[] floats(byte[] bytes) {
    float[] v = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }

  private static void ints(JsonGenerator g, String field, int[] v) throws IOException {
    g.writeFieldName(field);
    g.writeArray(v, 0, v.length);
  }

  private static int[] ints(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    int[] v = new int[n.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = n.get(i).intValue();
    }
    return v;
  }

  private static final class PixelWriter extends JsonSerializer<PixelInput> {
    @Override
    public void serialize(PixelInput p, JsonGenerator g, SerializerProvider s) throws IOException {
      g.writeStartObject();
      ints(g, "shape", p.shape());
      if (p.gridThw() != null) {
        ints(g, "grid", p.gridThw());
      }
      int[] layout = PixelCodes.layout(p.shape(), p.gridThw() != null);
      PixelCodes codes = PixelCodes.pack(p.values(), layout[0], layout[1]);
      if (codes != null) {
        g.writeNumberField("lanes", codes.lanes());
        g.writeNumberField("block", codes.block());
        g.writeBinaryField("table", floatBytes(codes.table()));
        g.writeBinaryField("codes", codes.codes());
      } else {
        g.writeBinaryField("f32", floatBytes(p.values()));
      }
      g.writeEndObject();
    }
  }

  private static final class PixelReader extends JsonDeserializer<PixelInput> {
    @Override
    public PixelInput deserialize(JsonParser p, DeserializationContext c) throws IOException {
      JsonNode n = p.readValueAsTree();
      float[] values =
          n.has("codes")
              ? new PixelCodes(
                      n.get("lanes").intValue(),
                      n.get("block").intValue(),
                      floats(n.get("table").binaryValue()),
                      n.get("codes").binaryValue())
                  .unpack()
              : floats(n.get("f32").binaryValue());
      return new PixelInput(values, ints(n.get("shape")), ints(n.get("grid")));
    }
  }

  private static final class FeatureWriter extends JsonSerializer<FeatureOutput> {
    @Override
    public void serialize(FeatureOutput f, JsonGenerator g, SerializerProvider s)
        throws IOException {
      g.writeStartObject();
      ints(g, "shape", f.shape());
      g.writeBinaryField("f32", floatBytes(f.values()));
      g.writeEndObject();
    }
  }

  private static final class FeatureReader extends JsonDeserializer<FeatureOutput> {
    @Override
    public FeatureOutput deserialize(JsonParser p, DeserializationContext c) throws IOException {
      JsonNode n = p.readValueAsTree();
      return new FeatureOutput(floats(n.get("f32").binaryValue()), ints(n.get("shape")));
    }
  }
}
