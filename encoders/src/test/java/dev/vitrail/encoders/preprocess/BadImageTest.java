package dev.vitrail.encoders.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Inputs that are not usable images are rejected with a message naming the problem. */
class BadImageTest {
  private final ImageDecoder decoder = ImageDecoder.servingDefaults();

  private void rejects(byte[] input, String... fragments) {
    InvalidImageException e =
        assertThrows(InvalidImageException.class, () -> decoder.decodeRgb(input));
    for (String f : fragments) {
      assertTrue(
          e.getMessage().toLowerCase().contains(f), "'" + e.getMessage() + "' should mention " + f);
    }
  }

  @Test
  void emptyInput() {
    rejects(new byte[0], "empty");
  }

  @Test
  void unsupportedFormat() {
    rejects(
        "GIF87 no, this is plain text".substring(6).getBytes(StandardCharsets.UTF_8),
        "unsupported image format");
    rejects(
        new byte[] {0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x10, 0x10}, "unsupported image format");
  }

  @Test
  void truncatedPng() {
    byte[] png = TestImages.encode(TestImages.pattern(64, 48), "png");
    rejects(Arrays.copyOf(png, png.length / 2), "png", "corrupt or truncated");
  }

  @Test
  void truncatedJpeg() {
    byte[] jpg = TestImages.encode(TestImages.pattern(64, 48), "jpeg");
    rejects(Arrays.copyOf(jpg, jpg.length / 2), "jpeg", "corrupt or truncated");
  }

  @Test
  void recoverableJpegWarningsAreAcceptedAsPillowDoes() {
    byte[] jpg = TestImages.encode(TestImages.pattern(64, 48), "jpeg");
    int sos = 2;
    while (!((jpg[sos] & 0xff) == 0xff && (jpg[sos + 1] & 0xff) == 0xda)) {
      sos++;
    }
    byte[] junk = new byte[jpg.length + 3];
    System.arraycopy(jpg, 0, junk, 0, sos);
    junk[sos] = 1;
    junk[sos + 1] = 2;
    junk[sos + 2] = 3;
    System.arraycopy(jpg, sos, junk, sos + 3, jpg.length - sos);
    assertArrayEquals(decoder.decodeRgb(jpg).pixels(), decoder.decodeRgb(junk).pixels());
  }

  @Test
  void corruptPngData() {
    byte[] png = TestImages.encode(TestImages.pattern(64, 48), "png");
    for (int i = 60; i < png.length - 20; i++) {
      png[i] = (byte) (png[i] ^ 0x5a);
    }
    rejects(png, "png", "corrupt or truncated");
  }

  @Test
  void zeroSize() {
    InvalidImageException e =
        assertThrows(
            InvalidImageException.class, () -> decoder.decode(TestImages.pngHeaderOnly(0, 10)));
    assertTrue(e.getMessage().contains("PNG"), e.getMessage());
    assertTrue(e.getMessage().contains("width"), e.getMessage());
  }

  @Test
  void overPixelLimitIsRejectedFromTheHeader() {
    rejects(
        TestImages.pngHeaderOnly(20_000, 20_000), "400000000 pixels exceeds the limit of 89478485");
    ImageDecoder small = new ImageDecoder(1000, RgbConversion.DROP_ALPHA);
    byte[] png = TestImages.encode(TestImages.pattern(40, 30), "png");
    InvalidImageException e = assertThrows(InvalidImageException.class, () -> small.decode(png));
    assertTrue(
        e.getMessage().contains("40x30 = 1200 pixels exceeds the limit of 1000"), e.getMessage());
  }
}
