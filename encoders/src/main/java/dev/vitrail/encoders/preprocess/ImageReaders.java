package dev.vitrail.encoders.preprocess;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * The ImageIO reader {@link ImageDecoder} uses for encoded bytes: the first one whose format
 * recognises them, disposed after the task; empty input, an unknown format and an unreadable stream
 * are {@link InvalidImageException}s.
 */
final class ImageReaders {
  private ImageReaders() {}

  /** What runs with the reader and the stream it reads. */
  interface ReaderTask<T> {
    T apply(ImageReader reader, ImageInputStream in);
  }

  /** Runs {@code task} with a reader for {@code encoded}. */
  static <T> T withReader(byte[] encoded, ReaderTask<T> task) {
    if (encoded.length == 0) {
      throw new InvalidImageException("empty input: an image needs at least a header, got 0 bytes");
    }
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new InvalidImageException(
            "unsupported image format (first bytes "
                + leadingHex(encoded)
                + "); supported: PNG, JPEG, BMP, GIF, WebP, TIFF");
      }
      ImageReader reader = readers.next();
      try {
        return task.apply(reader, in);
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      throw new InvalidImageException("cannot read image: " + e.getMessage(), e);
    }
  }

  /** The reader's format name in upper case, e.g. {@code PNG}. */
  static String formatName(ImageReader reader) {
    try {
      return reader.getFormatName().toUpperCase(Locale.ROOT);
    } catch (IOException e) {
      return reader.getOriginatingProvider().getFormatNames()[0].toUpperCase(Locale.ROOT);
    }
  }

  private static String leadingHex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(8, b.length); i++) {
      s.append(String.format("%02x", b[i] & 0xff));
    }
    return s.toString();
  }
}
