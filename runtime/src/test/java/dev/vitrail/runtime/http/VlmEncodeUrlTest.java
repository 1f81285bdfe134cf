package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.runtime.api.VitrailTestSettings;
import dev.vitrail.runtime.fetch.FakeDns;
import dev.vitrail.runtime.fetch.ImageOrigin;
import dev.vitrail.runtime.golden.Fixtures;
import dev.vitrail.runtime.model.ServedModel;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code POST /v1/vlm/encode} takes a fetched URL like an inline image. */
@ExtendWith(LogCapturingExtension.class)
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class VlmEncodeUrlTest {
  @Test
  void aUrlGivesTheSameEmbedsAsTheInlineImage() {
    byte[] image = TestImages.png(40, 30, 61);
    try (ImageOrigin origin = new ImageOrigin(1_000);
        ServedModel served =
            ServedModel.open(
                Fixtures.root().resolve("models/qwen2_5_vl-tiny"),
                null,
                VitrailTestSettings.of(""));
        EmbeddingServer server =
            EmbeddingServer.start(
                served,
                EmbeddingServerTest.SETTINGS.withFetch(FetchServers.fetch(true)),
                new FakeDns())) {
      HttpCalls http = new HttpCalls(server.address());
      String url = origin.image("q.png", image);
      JsonNode viaUrl = post(http, url);
      JsonNode inline = post(http, ShapeServer.dataUrl(image));
      assertEquals(inline.get("data").toString(), viaUrl.get("data").toString());
      HttpResponse<byte[]> refused =
          http.post(
              "/v1/vlm/encode",
              "{\"input\":[\"http://private.test/a.png\"],\"output\":\"inline\"}"
                  .getBytes(StandardCharsets.UTF_8));
      assertEquals(403, refused.statusCode());
      assertEquals(
          "url_address_refused", HttpCalls.json(refused).get("error").get("type").asText());
    }
  }

  private static JsonNode post(HttpCalls http, String source) {
    HttpResponse<byte[]> res =
        http.post(
            "/v1/vlm/encode",
            ("{\"input\":[\"" + source + "\"],\"output\":\"inline\"}")
                .getBytes(StandardCharsets.UTF_8));
    assertEquals(200, res.statusCode(), new String(res.body(), StandardCharsets.UTF_8));
    return HttpCalls.json(res);
  }
}
