package dev.vitrail.encoders.preprocess;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Small images made by the tests themselves. */
final class TestImages {
  private TestImages() {}

  /** A procedural RGB image (gradients plus a checkerboard). */
  static BufferedImage pattern(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r = x * 255 / Math.max(1, w - 1);
        int g = y * 255 / Math.max(1, h - 1);
        int b = ((x / 4 + y / 4) % 2) * 200 + 20;
        img.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return img;
  }

  static byte[] encode(BufferedImage img, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, format, out)) {
        throw new IllegalStateException("no ImageIO writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A PNG signature and IHDR chunk for an 8-bit RGB image of the given size, nothing else. */
  static byte[] pngHeaderOnly(int width, int height) {
    byte[] sig = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    byte[] ihdr = new byte[4 + 4 + 13 + 4];
    putInt(ihdr, 0, 13);
    ihdr[4] = 'I';
    ihdr[5] = 'H';
    ihdr[6] = 'D';
    ihdr[7] = 'R';
    putInt(ihdr, 8, width);
    putInt(ihdr, 12, height);
    ihdr[16] = 8;
    ihdr[17] = 2;
    CRC32 crc = new CRC32();
    crc.update(ihdr, 4, 17);
    putInt(ihdr, 21, (int) crc.getValue());
    byte[] out = Arrays.copyOf(sig, sig.length + ihdr.length);
    System.arraycopy(ihdr, 0, out, sig.length, ihdr.length);
    return out;
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }
}
