package dev.vitrail.bench.runtime;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The overload bench's request body: one 1200x1200 noise JPEG grown to the 5.8 MB of JSON
 * with APP15 segments (as EXIF and colour profiles grow a camera JPEG), in a base64 data URL.
 */
final class OverloadBody {
  private OverloadBody() {}

  /** The JSON body of {@code /v1/embeddings} and the JPEG inside it. */
  record Body(byte[] json, byte[] jpeg) {}

  static Body of(double jsonBytes) throws Exception {
    byte[] jpeg = padded(noiseJpeg(1200, 1200), (int) (jsonBytes * 3 / 4) - 40);
    byte[] json =
        ("{\"input\": [\"data:image/jpeg;base64,"
                + Base64.getEncoder().encodeToString(jpeg)
                + "\"]}")
            .getBytes(StandardCharsets.UTF_8);
    return new Body(json, jpeg);
  }

  /**
   * {@code jpeg} grown to {@code size} bytes with APP15 segments after its SOI marker (which every
   * decoder skips), standing in for the EXIF and colour profiles of a camera JPEG.
   */
  static byte[] padded(byte[] jpeg, int size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(size, jpeg.length));
    out.write(jpeg, 0, 2);
    int left = size - jpeg.length;
    while (left > 4) {
      int data = Math.min(65533, left - 4);
      out.write(0xff);
      out.write(0xef);
      out.write((data + 2) >> 8);
      out.write(data + 2);
      out.write(new byte[data], 0, data);
      left -= data + 4;
    }
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  /** Random noise at JPEG quality 0.95 (about 1.7 MB at 1200x1200). */
  static byte[] noiseJpeg(int width, int height) throws Exception {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Random rnd = new Random(11);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, rnd.nextInt(0x1000000));
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.95f);
      writer.setOutput(stream);
      writer.write(null, new IIOImage(img, null, null), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }
}
