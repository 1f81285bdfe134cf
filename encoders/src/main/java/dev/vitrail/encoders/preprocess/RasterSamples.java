package dev.vitrail.encoders.preprocess;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;

/**
 * Reads a decoded {@link BufferedImage}'s raster samples as Pillow would hold them, without any
 * colour management: palettes expand to RGB; 16-bit colour samples keep their high byte; 16-bit
 * gray without alpha is clipped to 255 (Pillow opens it as {@code I;16}, whose RGB conversion
 * clips).
 */
final class RasterSamples {
  private RasterSamples() {}

  static DecodedImage of(String format, BufferedImage image) {
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    int w = image.getWidth();
    int h = image.getHeight();
    if (cm instanceof IndexColorModel icm) {
      return palette(icm, raster, w, h);
    }
    int bands = raster.getNumBands();
    int type = cm.getColorSpace().getType();
    boolean gray = type == ColorSpace.TYPE_GRAY && (bands == 1 || bands == 2);
    boolean rgb = type == ColorSpace.TYPE_RGB && (bands == 3 || bands == 4);
    if (!gray && !rgb) {
      throw new InvalidImageException(
          "unsupported "
              + format
              + " colour layout: "
              + bands
              + " bands in colour space type "
              + type
              + " (supported: gray, gray+alpha, RGB, RGBA)");
    }
    int bits = cm.getComponentSize(0);
    if (bits == 8
        && raster.getDataBuffer() instanceof DataBufferByte db
        && raster.getSampleModel() instanceof PixelInterleavedSampleModel sm
        && raster.getParent() == null) {
      return interleavedBytes(db.getData(), sm, w, h, bands);
    }
    int[] all = raster.getPixels(0, 0, w, h, (int[]) null);
    byte[] out = new byte[all.length];
    for (int i = 0; i < all.length; i++) {
      out[i] = (byte) to8(all[i], bits, gray && bands == 1);
    }
    return new DecodedImage(w, h, bands, out);
  }

  private static int to8(int v, int bits, boolean grayLevel) {
    if (bits == 8) {
      return v;
    }
    if (bits == 16) {
      return grayLevel ? Math.min(v, 255) : v >> 8;
    }
    int max = (1 << bits) - 1;
    return bits < 8 ? v * 255 / max : v >> (bits - 8);
  }

  private static DecodedImage interleavedBytes(
      byte[] data, PixelInterleavedSampleModel sm, int w, int h, int bands) {
    int[] offsets = sm.getBandOffsets();
    int pixelStride = sm.getPixelStride();
    int scanline = sm.getScanlineStride();
    byte[] out = new byte[w * h * bands];
    int o = 0;
    for (int y = 0; y < h; y++) {
      int row = y * scanline;
      for (int x = 0; x < w; x++) {
        int p = row + x * pixelStride;
        for (int b = 0; b < bands; b++) {
          out[o++] = data[p + offsets[b]];
        }
      }
    }
    return new DecodedImage(w, h, bands, out);
  }

  private static DecodedImage palette(IndexColorModel icm, Raster raster, int w, int h) {
    int[] idx = raster.getSamples(0, 0, w, h, 0, (int[]) null);
    byte[] out = new byte[w * h * 3];
    for (int i = 0; i < idx.length; i++) {
      int argb = icm.getRGB(idx[i]);
      out[3 * i] = (byte) (argb >> 16);
      out[3 * i + 1] = (byte) (argb >> 8);
      out[3 * i + 2] = (byte) argb;
    }
    return new DecodedImage(w, h, 3, out);
  }
}
