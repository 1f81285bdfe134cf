package dev.vitrail.runtime.http;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Small images generated for tests. */
public final class TestImages {
  private TestImages() {}

  /** A random-colour image of the given size, encoded as {@code format} ("png" or "jpg"). */
  public static byte[] encoded(int width, int height, long seed, String format) {
    Random rnd = new Random(seed);
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, rnd.nextInt(0x1000000));
      }
    }
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

  /** A random-colour PNG. */
  public static byte[] png(int width, int height, long seed) {
    return encoded(width, height, seed, "png");
  }

  /** A PNG whose header declares {@code width x height} pixels (its data is not a valid image). */
  public static byte[] pngHeaderOnly(int width, int height) {
    ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a});
    ByteBuffer ihdr = ByteBuffer.allocate(17);
    ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII))
        .putInt(width)
        .putInt(height)
        .put((byte) 8)
        .put((byte) 2)
        .put((byte) 0)
        .put((byte) 0)
        .put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(ihdr.array());
    b.putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
    CRC32 end = new CRC32();
    end.update("IEND".getBytes(StandardCharsets.US_ASCII));
    b.putInt(0).put("IEND".getBytes(StandardCharsets.US_ASCII)).putInt((int) end.getValue());
    return b.array();
  }
}
