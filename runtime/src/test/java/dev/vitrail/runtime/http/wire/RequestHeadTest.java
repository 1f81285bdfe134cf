package dev.vitrail.runtime.http.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestHeadTest {
  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static Optional<RequestHead> parse(String head) {
    return RequestHead.parse(ascii(head));
  }

  @Test
  void readsMethodPathLengthAndExpect() {
    RequestHead h =
        parse(
                "POST /v1/embeddings?x=1 HTTP/1.1\r\nHost: a\r\ncontent-LENGTH:  42 \r\n"
                    + "Expect: 100-continue\r\n\r\n")
            .orElseThrow();
    assertEquals("POST", h.method());
    assertEquals("/v1/embeddings", h.path());
    assertEquals(42, h.contentLength());
    assertTrue(h.expectsContinue());
    RequestHead get = parse("GET /health HTTP/1.1\r\nHost: a\r\n\r\n").orElseThrow();
    assertEquals(0, get.contentLength());
    assertFalse(get.expectsContinue());
  }

  @Test
  void leavesAnythingButThePlainFormToThePekkoParser() {
    String[] refused = {
      "GET / HTTP/1.0\r\n\r\n",
      "GET / HTTP/1.1 extra\r\n\r\n",
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
      "GET / HTTP/1.1\r\nUpgrade: websocket\r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length: 5x\r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length : 5\r\n\r\n",
      "POST / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n",
      "POST / HTTP/1.1\r\nno colon\r\n\r\n",
      "POST / HTTP/1.1\r\nA: b\r\n",
      "\r\nGET / HTTP/1.1\r\n\r\n",
    };
    for (String head : refused) {
      assertTrue(parse(head).isEmpty(), head);
    }
    RequestHead same =
        parse("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n").orElseThrow();
    assertEquals(5, same.contentLength());
  }

  @Test
  void withoutBodyKeepsEveryOtherFieldAndMarksTheDroppedLength() {
    RequestHead h =
        parse(
                "POST /v1/embeddings HTTP/1.1\r\nHost: a\r\nContent-Length: 70000\r\n"
                    + "Vitrail-Dropped-Body: 3\r\nAuthorization: Bearer k\r\n\r\n")
            .orElseThrow();
    String out = new String(h.withoutBody(), StandardCharsets.ISO_8859_1);
    assertEquals(
        "POST /v1/embeddings HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer k\r\n"
            + "Content-Length: 0\r\nVitrail-Dropped-Body: 70000\r\n\r\n",
        out);
    RequestHead again = RequestHead.parse(h.withoutBody()).orElseThrow();
    assertEquals(0, again.contentLength());
  }
}
