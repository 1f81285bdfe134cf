package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageSourcesTest {
  private final byte[] bytes = new byte[300];

  ImageSourcesTest() {
    new Random(3).nextBytes(bytes);
  }

  @Test
  void everyAcceptedSpellingGivesTheSameBytes() {
    String std = Base64.getEncoder().encodeToString(bytes);
    String url = Base64.getUrlEncoder().encodeToString(bytes);
    String mime = Base64.getMimeEncoder(20, "\r\n".getBytes()).encodeToString(bytes);
    assertTrue(
        url.indexOf('-') >= 0 || url.indexOf('_') >= 0,
        "the sample exercises the URL-safe alphabet");
    for (String s :
        new String[] {
          std,
          url,
          mime,
          " " + std + "\n",
          "data:image/png;base64," + std,
          "DATA:image/jpeg;BASE64," + mime
        }) {
      assertArrayEquals(bytes, ImageSources.decode(s, 0, 1000), s);
    }
  }

  @Test
  void badSourcesNameTheInputAndTheProblem() {
    ApiException e = assertThrows(ApiException.class, () -> ImageSources.decode("ab$d", 3, 1000));
    assertEquals(ErrorKind.INVALID_IMAGE, e.kind());
    assertTrue(e.getMessage().startsWith("input[3]: not valid base64"), e.getMessage());
    assertEquals(
        ErrorKind.INVALID_IMAGE,
        assertThrows(ApiException.class, () -> ImageSources.decode("data:image/png,abcd", 0, 1000))
            .kind());
    assertEquals(
        ErrorKind.INVALID_IMAGE,
        assertThrows(
                ApiException.class, () -> ImageSources.decode("data:image/png;base64,", 0, 1000))
            .kind());
    // URLs reach decode only when fetching is off: a specific 422 that names the setting.
    ApiException url =
        assertThrows(ApiException.class, () -> ImageSources.decode("HTTPS://host/x.png", 0, 1000));
    assertEquals(ErrorKind.URL_FETCH_DISABLED, url.kind());
    assertTrue(url.getMessage().contains("vitrail.http.fetch.enabled"), url.getMessage());
    assertEquals(
        ErrorKind.INVALID_IMAGE,
        assertThrows(ApiException.class, () -> ImageSources.decode("file:///etc/passwd", 0, 1000))
            .kind());
    assertEquals(
        ErrorKind.IMAGE_TOO_LARGE,
        assertThrows(
                ApiException.class,
                () -> ImageSources.decode(Base64.getEncoder().encodeToString(bytes), 0, 299))
            .kind());
  }
}
