package dev.vitrail.runtime.http;

import static dev.vitrail.runtime.http.EmbeddingServerTest.body;
import static dev.vitrail.runtime.http.EmbeddingServerTest.dataUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.runtime.api.VitrailTestSettings;
import dev.vitrail.runtime.model.ServedModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Strict JSON (trailing data, duplicate keys, empty {@code select_layers} are 400), the JSON
 * envelope for unknown paths and methods, and request ids on every answer.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StrictRequestsTest {
  private ServedModel model;
  private EmbeddingServer server;
  private HttpCalls http;

  @BeforeAll
  void start() {
    model = ServedModel.open(EmbeddingServerTest.MODEL, "tiny", VitrailTestSettings.of(""));
    server = EmbeddingServer.start(model, EmbeddingServerTest.SETTINGS);
    http = new HttpCalls(server.address());
  }

  @AfterAll
  void stop() {
    server.close();
    model.close();
  }

  private static String png() {
    return dataUrl(TestImages.png(12, 10, 9), "image/png");
  }

  private static JsonNode error(HttpResponse<byte[]> res) {
    return HttpCalls.json(res).get("error");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"input\": [\"PNG\"]} trailing",
        "{\"input\": [\"PNG\"]}{}",
        "{\"input\": [\"PNG\"], \"input\": [\"PNG\"]}",
        "{\"input\": [\"PNG\"], \"pooled\": true, \"pooled\": false}",
        "{\"input\": [\"PNG\"], \"select_layers\": []}"
      })
  void notStrictlyValidBodiesAre400(String template) {
    byte[] bytes = template.replace("PNG", png()).getBytes(StandardCharsets.UTF_8);
    HttpResponse<byte[]> res = http.post("/v1/embeddings", bytes);
    assertEquals(400, res.statusCode(), new String(res.body(), StandardCharsets.UTF_8));
    assertEquals("malformed_request", error(res).get("type").asText());
    assertEquals(200, http.post("/v1/embeddings", body(png())).statusCode());
  }

  @Test
  void unknownPathsAndMethodsUseTheJsonEnvelope() throws Exception {
    HttpResponse<byte[]> missing = http.get("/v1/nothing");
    assertEquals(404, missing.statusCode());
    assertEquals("not_found", error(missing).get("type").asText());
    assertEquals(404, error(missing).get("code").asInt());

    HttpResponse<byte[]> wrongMethod = http.get("/v1/embeddings");
    assertEquals(405, wrongMethod.statusCode());
    assertEquals("method_not_allowed", error(wrongMethod).get("type").asText());
    assertTrue(wrongMethod.headers().firstValue("Allow").orElse("").contains("POST"));

    HttpResponse<byte[]> delete =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.address().getPort() + "/health"))
                    .DELETE()
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(405, delete.statusCode());
    assertEquals("method_not_allowed", error(delete).get("type").asText());
  }

  @Test
  void everyAnswerCarriesARequestId() {
    HttpResponse<byte[]> given =
        http.post("/v1/embeddings", body(png()), "X-Request-Id", "client-42");
    assertEquals("client-42", given.headers().firstValue("X-Request-Id").orElseThrow());
    HttpResponse<byte[]> made = http.get("/v1/nothing");
    String id = made.headers().firstValue("X-Request-Id").orElseThrow();
    assertFalse(id.isBlank());
    assertTrue(!id.equals(http.get("/v1/nothing").headers().firstValue("X-Request-Id").get()));
  }
}
