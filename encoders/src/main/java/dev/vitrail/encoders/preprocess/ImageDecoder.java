package dev.vitrail.encoders.preprocess;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Locale;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes PNG, JPEG, BMP, GIF (first frame), WebP and TIFF through ImageIO, reading the raw samples
 * (no gamma or colour-profile conversion, as Pillow) with the reader {@link ImageReaders} finds.
 * The dimensions are read from the header and checked against the pixel limit before any pixel is
 * decoded; a truncated or corrupt file is an {@link InvalidImageException}.
 */
public final class ImageDecoder {
  /** Pillow's {@code Image.MAX_IMAGE_PIXELS}. */
  public static final long PILLOW_MAX_PIXELS = 89_478_485L;

  private final long maxPixels;
  private final RgbConversion conversion;

  /**
   * @param maxPixels the largest accepted {@code width * height}
   * @param conversion how RGBA and gray images become RGB
   */
  public ImageDecoder(long maxPixels, RgbConversion conversion) {
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("maxPixels must be > 0, got " + maxPixels);
    }
    this.maxPixels = maxPixels;
    this.conversion = conversion;
  }

  /** Pillow's pixel limit and vLLM's conversion (RGBA composited on white). */
  public static ImageDecoder servingDefaults() {
    return new ImageDecoder(PILLOW_MAX_PIXELS, RgbConversion.COMPOSITE_ON_WHITE);
  }

  /** The largest accepted {@code width * height}. */
  public long maxPixels() {
    return maxPixels;
  }

  /** The RGB conversion this decoder applies in {@link #decodeRgb}. */
  public RgbConversion conversion() {
    return conversion;
  }

  /** Decodes and converts to RGB. */
  public RgbImage decodeRgb(byte[] encoded) {
    return conversion.convert(decode(encoded));
  }

  /** Decodes to the image's own mode (L, LA, RGB or RGBA, 8 bits per sample). */
  public DecodedImage decode(byte[] encoded) {
    return ImageReaders.withReader(encoded, this::read);
  }

  /**
   * The {@code [width, height]} from the image's header alone, checked against the pixel limit
   * (nothing is decoded): what a server reads to admit the decode before running it.
   *
   * @throws ImageTooLargeException over the pixel limit
   * @throws InvalidImageException unsupported format, unreadable header or zero size
   */
  public int[] dimensions(byte[] encoded) {
    return ImageReaders.withReader(
        encoded,
        (reader, in) -> {
          String format = ImageReaders.formatName(reader);
          try {
            reader.setInput(in, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            checkSize(format, width, height);
            return new int[] {width, height};
          } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidImageException invalid) {
              throw invalid;
            }
            throw new InvalidImageException(
                "corrupt or truncated " + format + " image header: " + describe(e), e);
          }
        });
  }

  private DecodedImage read(ImageReader reader, ImageInputStream in) {
    String format = ImageReaders.formatName(reader);
    StringBuilder warnings = new StringBuilder();
    reader.addIIOReadWarningListener(
        (source, warning) -> {
          if (isTruncation(warning) && warnings.indexOf(warning) < 0) {
            warnings.append(warning).append("; ");
          }
        });
    try {
      reader.setInput(in, true, true);
      int width = reader.getWidth(0);
      int height = reader.getHeight(0);
      checkSize(format, width, height);
      BufferedImage image = reader.read(0);
      if (warnings.length() > 0) {
        throw new InvalidImageException(
            "corrupt or truncated " + format + " image: " + warnings.toString().strip());
      }
      return RasterSamples.of(format, image);
    } catch (InvalidImageException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      String why = describe(e);
      if (why.contains("Unsupported Image Type")) {
        throw new InvalidImageException(
            "unsupported " + format + " colour type (e.g. CMYK or YCCK): " + why, e);
      }
      throw new InvalidImageException("corrupt or truncated " + format + " image: " + why, e);
    }
  }

  /**
   * Whether a decoder warning means the data ended early. Like Pillow (without {@code
   * LOAD_TRUNCATED_IMAGES}) a truncated image is an error; other recoverable warnings, such as
   * extraneous bytes before a JPEG marker, are not.
   */
  private static boolean isTruncation(String warning) {
    String w = warning.toLowerCase(Locale.ROOT);
    return w.contains("premature end") || w.contains("truncat") || w.contains("end of file");
  }

  /** The messages of an exception and its causes, e.g. "error reading header: width == 0". */
  private static String describe(Throwable e) {
    StringBuilder s = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
      if (s.indexOf(m) < 0) {
        s.append(s.length() > 0 ? ": " : "").append(m);
      }
    }
    return s.toString();
  }

  private void checkSize(String format, int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new InvalidImageException(
          format + " image has zero size: " + width + "x" + height + " (width x height)");
    }
    long pixels = (long) width * height;
    if (pixels > maxPixels) {
      throw new ImageTooLargeException(
          format
              + " image of "
              + width
              + "x"
              + height
              + " = "
              + pixels
              + " pixels exceeds the limit of "
              + maxPixels
              + " pixels");
    }
  }
}
