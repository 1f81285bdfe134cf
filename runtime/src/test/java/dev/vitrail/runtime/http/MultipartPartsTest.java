package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultipartPartsTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void partsInOrderWithTheirHeaders() {
    String body =
        "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\""
            + "\r\nContent-Type: image/png\r\n\r\n\u0000\r\n--X\r\n--XyZ\r\n"
            + "Content-Disposition: form-data; name=f2\r\n\r\nv\r\n--XyZ--\r\n";
    List<MultipartParts.Part> parts = MultipartParts.parse(bytes(body), "XyZ");
    assertEquals(2, parts.size());
    assertEquals("file", parts.get(0).name());
    assertEquals("a.png", parts.get(0).filename());
    assertEquals("image/png", parts.get(0).contentType());
    assertArrayEquals(bytes("\u0000\r\n--X"), parts.get(0).data());
    assertEquals("f2", parts.get(1).name());
    assertNull(parts.get(1).filename());
  }

  @Test
  void boundaryFromTheContentType() {
    assertEquals("ab c", MultipartParts.boundary("multipart/form-data; boundary=\"ab c\""));
    assertEquals("q", MultipartParts.boundary("multipart/form-data;charset=x; Boundary=q"));
    assertThrows(ApiException.class, () -> MultipartParts.boundary("multipart/form-data"));
    assertThrows(
        ApiException.class, () -> MultipartParts.boundary("multipart/form-data; boundary="));
  }

  @Test
  void badFramingIsA400() {
    for (String bad :
        List.of(
            "no delimiter",
            "--B\r\nContent-Disposition: form-data; name=a\r\n\r\nunclosed",
            "--B\r\nContent-Disposition: form-data; name=a\r\nno blank line",
            "--B\r\nbroken header\r\n\r\nx\r\n--B--",
            "--B\r\nContent-Type: image/png\r\n\r\nx\r\n--B--",
            "--Bjunk")) {
      ApiException e =
          assertThrows(ApiException.class, () -> MultipartParts.parse(bytes(bad), "B"), bad);
      assertEquals(ErrorKind.MALFORMED_REQUEST, e.kind());
    }
  }

  /**
   * The skipping search finds exactly what a byte-by-byte scan finds, on random small alphabets.
   */
  @Test
  void searchAgreesWithANaiveScan() {
    java.util.Random rnd = new java.util.Random(3);
    for (int trial = 0; trial < 2000; trial++) {
      byte[] body = new byte[rnd.nextInt(200)];
      for (int i = 0; i < body.length; i++) {
        body[i] = (byte) ('a' + rnd.nextInt(3));
      }
      byte[] needle = new byte[1 + rnd.nextInt(5)];
      for (int i = 0; i < needle.length; i++) {
        needle[i] = (byte) ('a' + rnd.nextInt(3));
      }
      int from = rnd.nextInt(body.length + 1);
      assertEquals(naive(body, needle, from), MultipartParts.indexOf(body, needle, from));
    }
  }

  private static int naive(byte[] body, byte[] needle, int from) {
    outer:
    for (int i = from; i <= body.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (body[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
