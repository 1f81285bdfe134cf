package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.preprocess.ImageProcessor;
import dev.vitrail.encoders.preprocess.ImageProcessors;
import dev.vitrail.encoders.weights.SafetensorsHeader;
import dev.vitrail.runtime.api.VitrailTestSettings;
import dev.vitrail.runtime.model.ServedModel;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A CLIP-tiny model served twice on 127.0.0.1:0 (open, and behind API keys), with a direct tower to
 * compare against; for the request-shape, option and bad-input tests.
 */
final class ShapeServer implements AutoCloseable {
  static final String KEY = "sk-test-0123456789abcdef";
  final ServedModel model;
  final EmbeddingServer server;
  final EmbeddingServer keyed;
  final HttpCalls http;
  final HttpCalls keyedHttp;
  private final ImageProcessor processor;
  private final FeatureEncoder direct;

  ShapeServer() {
    model =
        ServedModel.open(
            EmbeddingServerTest.MODEL,
            null,
            VitrailTestSettings.of(
                "vitrail.workers { count = 1, batch-limit = 4 }\nvitrail.admission.max-in-flight-items = 6"));
    server = EmbeddingServer.start(model, EmbeddingServerTest.SETTINGS);
    keyed =
        EmbeddingServer.start(
            model,
            EmbeddingServerTest.SETTINGS.withApiKeys(ApiKeys.of("other-key, " + KEY, null, true)));
    http = new HttpCalls(server.address());
    keyedHttp = new HttpCalls(keyed.address());
    processor = ImageProcessors.forModel(EmbeddingServerTest.MODEL);
    direct = FeatureEncoders.open(EmbeddingServerTest.MODEL, EncoderOptions.cpu());
  }

  /** The features of a direct tower call on {@code image}. */
  FeatureOutput directly(byte[] image, FeatureSpec spec) {
    return direct.encode(List.of(processor.process(image)), spec).get(0);
  }

  FeatureOutput pooled(byte[] image) {
    return directly(image, new FeatureSpec(List.of(), null, true, true));
  }

  /** POSTs the exact JSON text a client sends to /v1/embeddings; expects 200. */
  JsonNode post(String json) {
    HttpResponse<byte[]> res = http.post("/v1/embeddings", json.getBytes(StandardCharsets.UTF_8));
    assertEquals(200, res.statusCode(), new String(res.body(), StandardCharsets.UTF_8));
    return HttpCalls.json(res);
  }

  static String dataUrl(byte[] image) {
    return EmbeddingServerTest.dataUrl(image, "image/png");
  }

  static String b64(byte[] image) {
    return Base64.getEncoder().encodeToString(image);
  }

  /** The float32 values of a base64 embedding. */
  static float[] base64Floats(JsonNode item) {
    byte[] raw = Base64.getDecoder().decode(item.get("embedding").asText());
    float[] got = new float[raw.length / 4];
    ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(got);
    return got;
  }

  /** Each tensor "0", "1", ... of a safetensors body, as values. */
  static List<float[]> safetensors(byte[] body, List<int[]> shapes) {
    ByteBuffer buf = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
    SafetensorsHeader header = SafetensorsHeader.parse(buf);
    header.requireFileSize(body.length);
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < header.entries().size(); i++) {
      SafetensorsHeader.Entry e = header.entry(Integer.toString(i));
      float[] values = new float[(int) ((e.end() - e.begin()) / 4)];
      buf.duplicate()
          .position((int) (header.dataStart() + e.begin()))
          .slice()
          .order(ByteOrder.LITTLE_ENDIAN)
          .asFloatBuffer()
          .get(values);
      out.add(values);
      shapes.add(java.util.Arrays.stream(e.shape()).mapToInt(Math::toIntExact).toArray());
    }
    return out;
  }

  @Override
  public void close() {
    keyed.close();
    server.close();
    model.close();
    direct.close();
  }
}
