package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrail.runtime.api.VitrailTestSettings;
import dev.vitrail.runtime.model.ServedModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * HTTP that Pekko's parser refuses before there is a request (sent over a raw socket) is answered
 * with the JSON error envelope, Pekko's status and an {@code X-Request-Id}, and the server answers
 * normally afterwards.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedHttpTest {
  private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.1 (\\d{3}) ");
  private static final Pattern REQUEST_ID = Pattern.compile("(?i)\r\nX-Request-Id: \\S+\r\n");
  private ServedModel model;
  private EmbeddingServer server;

  @BeforeAll
  void start() {
    model = ServedModel.open(EmbeddingServerTest.MODEL, "tiny", VitrailTestSettings.of(""));
    server = EmbeddingServer.start(model, EmbeddingServerTest.SETTINGS);
  }

  @AfterAll
  void stop() {
    server.close();
    model.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "bad request line, 400, malformed_request",
    "unknown method, 501, not_implemented",
    "bad Content-Length, 400, malformed_request",
    "Content-Length overflow, 400, malformed_request",
    "two Content-Lengths, 400, malformed_request",
    "header too long, 431, headers_too_large",
    "URI too long, 414, uri_too_long",
    "unknown HTTP version, 505, http_version_not_supported",
    "unknown transfer coding, 400, malformed_request"
  })
  void answeredWithTheEnvelope(String what, int status, String type) throws IOException {
    String answer = send(request(what));
    Matcher m = STATUS.matcher(answer);
    assertTrue(m.find(), answer);
    assertEquals(status, Integer.parseInt(m.group(1)), answer);
    assertTrue(REQUEST_ID.matcher(answer).find(), answer);
    assertTrue(answer.toLowerCase().contains("content-type: application/json"), answer);
    JsonNode error =
        new ObjectMapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).get("error");
    assertEquals(type, error.get("type").asText(), answer);
    assertEquals(status, error.get("code").asInt(), answer);
    assertTrue(!error.get("message").asText().isBlank(), answer);
    assertTrue(
        send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").contains(" 200 "));
  }

  private static String request(String what) {
    String post = "POST /v1/embeddings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
    return switch (what) {
      case "bad request line" -> "GET /he<a|b>lth HTTP/1.1\r\nHost: x\r\n\r\n";
      case "unknown method" -> "THIS IS NOT HTTP\r\n\r\n";
      case "bad Content-Length" -> post + "Content-Length: twelve\r\n\r\n{}";
      case "Content-Length overflow" -> post + "Content-Length: 99999999999999999999999\r\n\r\n{}";
      case "two Content-Lengths" -> post + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}";
      case "header too long" ->
          "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(10_000) + "\r\n\r\n";
      case "URI too long" -> "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n";
      case "unknown HTTP version" -> "GET /health HTTP/3.7\r\nHost: x\r\n\r\n";
      case "unknown transfer coding" -> post + "Transfer-Encoding: zork\r\n\r\n{}";
      default -> throw new IllegalArgumentException(what);
    };
  }

  /** Sends raw bytes and reads the answer until the server closes (bounded by a read timeout). */
  private String send(String raw) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.address().getPort())) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] answer = in.readNBytes(1 << 16);
      return new String(answer, StandardCharsets.ISO_8859_1);
    }
  }
}
