package dev.vitrail.runtime.http.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestFramingTest {
  static final BodyDrop NEVER = head -> false;
  static final BodyDrop BIG_POSTS =
      head -> head.method().equals("POST") && head.contentLength() > 8;

  static String post(String path, String body) {
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: a\r\nContent-Length: "
        + body.length()
        + "\r\n\r\n"
        + body;
  }

  /** What {@code framing} passes on for {@code input} fed in pieces of {@code piece} bytes. */
  static String feed(RequestFraming framing, String input, int piece) {
    byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < bytes.length; i += piece) {
      ByteBuffer buf = ByteBuffer.allocateDirect(Math.min(piece, bytes.length - i));
      buf.put(bytes, i, buf.capacity()).flip();
      framing.feed(buf, b -> out.writeBytes(b.toArray()));
      assertFalse(buf.hasRemaining());
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  void passesRequestsOnUnchangedWhateverTheReadSizes() {
    String input =
        "GET /health HTTP/1.1\r\nHost: a\r\n\r\n"
            + post("/v1/embeddings", "{\"input\":\"abcdefghijklmnop\"}")
            + "GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n";
    for (int piece : new int[] {1, 2, 3, 7, 64, 4096}) {
      assertEquals(input, feed(new RequestFraming(NEVER), input, piece), "pieces of " + piece);
    }
  }

  @Test
  void dropsAPickedBodyAndPassesItsHeadOnWithoutOne() {
    String body = "x".repeat(1000);
    String input = post("/v1/embeddings", body) + post("/v1/embeddings", "tiny");
    for (int piece : new int[] {1, 5, 100, 4096}) {
      RequestFraming framing = new RequestFraming(BIG_POSTS);
      String out = feed(framing, input, piece);
      assertEquals(
          "POST /v1/embeddings HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n"
              + "Vitrail-Dropped-Body: 1000\r\n\r\n"
              + post("/v1/embeddings", "tiny"),
          out,
          "pieces of " + piece);
      assertEquals(1000, framing.dropped());
      assertFalse(framing.dropping());
    }
  }

  @Test
  void saysHowMuchIsLeftToDrop() {
    RequestFraming framing = new RequestFraming(BIG_POSTS);
    feed(framing, post("/v1/embeddings", "x".repeat(100)).substring(0, 80), 4096);
    assertTrue(framing.dropping());
    long left = framing.dropLeft();
    assertTrue(left > 0 && left < 100, "left " + left);
  }

  @Test
  void whatDoesNotFramePlainlyPassesThroughForGood() {
    String chunked =
        "POST /v1/embeddings HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "3e8\r\n"
            + "x".repeat(1000)
            + "\r\n0\r\n\r\n"
            + post("/v1/embeddings", "y".repeat(500));
    RequestFraming framing = new RequestFraming(BIG_POSTS);
    assertEquals(chunked, feed(framing, chunked, 7));
    assertEquals(0, framing.dropped());

    String bareLf = "GET / HTTP/1.1\nHost: a\n\n";
    List<String> seen = new ArrayList<>();
    RequestFraming lf = new RequestFraming(NEVER);
    ByteBuffer buf = ByteBuffer.wrap(bareLf.getBytes(StandardCharsets.ISO_8859_1));
    lf.feed(buf, b -> seen.add(b.utf8String()));
    assertEquals(List.of(bareLf), seen, "not held back waiting for a CRLF CRLF");

    String huge = "GET / HTTP/1.1\r\nX: " + "a".repeat(RequestFraming.MAX_HEAD) + "\r\n\r\n";
    String after = huge + post("/v1/embeddings", "z".repeat(100));
    RequestFraming big = new RequestFraming(BIG_POSTS);
    assertEquals(after, feed(big, after, 1000));
    assertEquals(0, big.dropped());
  }

  @Test
  void aHeadHeldWhenTheClientStopsIsPassedOnByFlush() {
    RequestFraming framing = new RequestFraming(NEVER);
    assertEquals("", feed(framing, "GET / HTTP/1.1\r\nHo", 4096));
    List<String> out = new ArrayList<>();
    framing.flush(b -> out.add(b.utf8String()));
    assertEquals(List.of("GET / HTTP/1.1\r\nHo"), out);
  }
}
