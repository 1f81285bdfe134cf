package dev.vitrail.runtime.http;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Images at and just over the server's limits, made for the limit tests. */
final class LargeImages {
  private LargeImages() {}

  /** A valid PNG of exactly {@code size} bytes: a small image plus a private ancillary chunk. */
  static byte[] pngOfSize(int size) {
    byte[] small = TestImages.png(8, 6, 1);
    int pad = size - small.length - 12;
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put(small, 0, 33); // signature + IHDR
    byte[] type = "vtRp".getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(type);
    crc.update(new byte[pad]);
    out.putInt(pad).put(type).put(new byte[pad]).putInt((int) crc.getValue());
    out.put(small, 33, small.length - 33);
    return out.array();
  }

  /** A flat black image of {@code width x height} pixels, encoded as {@code format}. */
  static byte[] flat(int width, int height, String format) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, format, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A small JPEG whose frame header (SOF0) claims {@code width x height}. */
  static byte[] jpegClaiming(int width, int height) {
    byte[] jpeg = flat(16, 16, "jpg");
    for (int i = 0; i + 8 < jpeg.length; i++) {
      if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == 0xc0) {
        jpeg[i + 5] = (byte) (height >> 8);
        jpeg[i + 6] = (byte) height;
        jpeg[i + 7] = (byte) (width >> 8);
        jpeg[i + 8] = (byte) width;
        return jpeg;
      }
    }
    throw new IllegalStateException("no SOF0 marker in the test JPEG");
  }
}
