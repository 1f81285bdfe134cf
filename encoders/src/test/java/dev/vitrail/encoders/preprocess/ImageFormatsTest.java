package dev.vitrail.encoders.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Lossless formats and sample layouts decode to the samples written, as Pillow holds them. */
class ImageFormatsTest {
  private final ImageDecoder decoder =
      new ImageDecoder(ImageDecoder.PILLOW_MAX_PIXELS, RgbConversion.DROP_ALPHA);

  private static byte[] rgbOf(BufferedImage img) {
    byte[] out = new byte[img.getWidth() * img.getHeight() * 3];
    int o = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int argb = img.getRGB(x, y);
        out[o++] = (byte) (argb >> 16);
        out[o++] = (byte) (argb >> 8);
        out[o++] = (byte) argb;
      }
    }
    return out;
  }

  @Test
  void losslessFormatsRoundTrip() {
    BufferedImage img = TestImages.pattern(37, 21);
    for (String format : new String[] {"png", "bmp", "tiff"}) {
      RgbImage rgb = decoder.decodeRgb(TestImages.encode(img, format));
      assertArrayEquals(rgbOf(img), rgb.pixels(), format);
    }
  }

  @Test
  void gifFirstFrameThroughPalette() {
    BufferedImage img = new BufferedImage(16, 8, BufferedImage.TYPE_BYTE_INDEXED);
    for (int x = 0; x < 16; x++) {
      for (int y = 0; y < 8; y++) {
        img.setRGB(x, y, x < 8 ? 0xff0000 : 0x0000ff);
      }
    }
    RgbImage rgb = decoder.decodeRgb(TestImages.encode(img, "gif"));
    assertArrayEquals(rgbOf(img), rgb.pixels());
  }

  @Test
  void sixteenBitColourKeepsTheHighByte() {
    BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_USHORT_GRAY);
    WritableRaster r = img.getRaster();
    int[] levels = {0, 255, 256, 1000, 40000, 65535};
    for (int i = 0; i < 6; i++) {
      r.setSample(i % 3, i / 3, 0, levels[i]);
    }
    DecodedImage gray = decoder.decode(TestImages.encode(img, "png"));
    assertEquals(1, gray.channels());
    // Pillow opens 16-bit gray as I;16 and clips it to 255 when converting to RGB.
    assertArrayEquals(
        new byte[] {0, (byte) 255, (byte) 255, (byte) 255, (byte) 255, (byte) 255}, gray.samples());
  }

  @Test
  void grayAndRgbaModesAndBothConversions() {
    BufferedImage gray = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
    gray.getRaster().setSample(0, 0, 0, 7);
    gray.getRaster().setSample(1, 0, 0, 200);
    RgbImage g = decoder.decodeRgb(TestImages.encode(gray, "png"));
    assertArrayEquals(new byte[] {7, 7, 7, (byte) 200, (byte) 200, (byte) 200}, g.pixels());

    BufferedImage rgba = new BufferedImage(2, 1, BufferedImage.TYPE_4BYTE_ABGR);
    rgba.setRGB(0, 0, 0x00102030);
    rgba.setRGB(1, 0, 0x80ff0000);
    byte[] png = TestImages.encode(rgba, "png");
    DecodedImage d = decoder.decode(png);
    assertEquals(4, d.channels());
    assertArrayEquals(new byte[] {0x10, 0x20, 0x30, 0, (byte) 255, 0, 0, (byte) 0x80}, d.samples());
    assertArrayEquals(
        new byte[] {0x10, 0x20, 0x30, (byte) 255, 0, 0},
        RgbConversion.DROP_ALPHA.convert(d).pixels());
    // white * (255 - 128) + c * 128, divided by 255 with Pillow's rounding
    assertArrayEquals(
        new byte[] {(byte) 255, (byte) 255, (byte) 255, (byte) 255, 127, 127},
        RgbConversion.COMPOSITE_ON_WHITE.convert(d).pixels());
  }

  @Test
  void webpReaderIsRegistered() {
    assertTrue(ImageIO.getImageReadersByFormatName("webp").hasNext());
  }
}
