package dev.vitrail.runtime.http;

import static dev.vitrail.runtime.http.EmbeddingServerTest.assertClose;
import static dev.vitrail.runtime.http.EmbeddingServerTest.body;
import static dev.vitrail.runtime.http.EmbeddingServerTest.dataUrl;
import static dev.vitrail.runtime.http.EmbeddingServerTest.floats;
import static dev.vitrail.runtime.http.EmbeddingServerTest.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.preprocess.ImageProcessors;
import dev.vitrail.runtime.api.VitrailTestSettings;
import dev.vitrail.runtime.golden.Fixtures;
import dev.vitrail.runtime.model.ServedModel;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The variable-size towers behind the HTTP API (Qwen2.5-VL tiny; Kimi K2.5 tiny, a family picked by
 * model_type): images of different sizes are preprocessed, balanced over two workers, and give
 * their own token counts, equal to a direct tower call.
 */
@ExtendWith(LogCapturingExtension.class)
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class MixedSizeEmbeddingsTest {
  @ParameterizedTest
  @ValueSource(strings = {"qwen2_5_vl-tiny", "kimi_k25-tiny"})
  void mixedSizeImagesEqualADirectTowerCall(String name) {
    Path model = Fixtures.root().resolve("models").resolve(name);
    byte[] small = TestImages.png(40, 30, 11);
    byte[] large = TestImages.png(150, 90, 12);
    try (ServedModel served =
            ServedModel.open(model, null, VitrailTestSettings.of("vitrail.workers.count = 2"));
        EmbeddingServer server = EmbeddingServer.start(served, EmbeddingServerTest.SETTINGS);
        FeatureEncoder tower = FeatureEncoders.open(model, EncoderOptions.cpu())) {
      HttpResponse<byte[]> res =
          new HttpCalls(server.address())
              .post(
                  "/v1/embeddings", body(dataUrl(small, "image/png"), dataUrl(large, "image/png")));
      assertEquals(200, res.statusCode(), new String(res.body()));
      JsonNode data = HttpCalls.json(res).get("data");
      var processor = ImageProcessors.forModel(model);
      byte[][] images = {small, large};
      for (int i = 0; i < 2; i++) {
        FeatureOutput want =
            tower.encode(List.of(processor.process(images[i])), FeatureSpec.defaults()).get(0);
        assertClose(want, ints(data.get(i).get("shape")), floats(data.get(i).get("embedding")));
      }
      assertNotEquals(
          data.get(0).get("shape").get(0).asInt(), data.get(1).get("shape").get(0).asInt());
    }
  }
}
