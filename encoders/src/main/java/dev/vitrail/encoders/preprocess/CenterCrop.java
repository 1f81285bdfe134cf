package dev.vitrail.encoders.preprocess;

/**
 * HuggingFace's {@code center_crop}: {@code top = (H - h) // 2}, {@code left = (W - w) // 2}; an
 * image smaller than the crop is first padded with zeros, centred (padding rounded up on top/left).
 */
final class CenterCrop {
  private CenterCrop() {}

  static RgbImage apply(RgbImage img, int cropH, int cropW) {
    int h = img.height();
    int w = img.width();
    int top = Math.floorDiv(h - cropH, 2);
    int left = Math.floorDiv(w - cropW, 2);
    if (top >= 0 && left >= 0 && top + cropH <= h && left + cropW <= w) {
      return img.crop(top, left, cropH, cropW);
    }
    int newH = Math.max(cropH, h);
    int newW = Math.max(cropW, w);
    int topPad = (newH - h + 1) / 2;
    int leftPad = (newW - w + 1) / 2;
    byte[] padded = new byte[newH * newW * 3];
    for (int y = 0; y < h; y++) {
      System.arraycopy(img.pixels(), y * w * 3, padded, ((y + topPad) * newW + leftPad) * 3, w * 3);
    }
    int t = Math.max(0, top + topPad);
    int l = Math.max(0, left + leftPad);
    int b = Math.min(newH, top + topPad + cropH);
    int r = Math.min(newW, left + leftPad + cropW);
    return new RgbImage(newW, newH, padded).crop(t, l, b - t, r - l);
  }
}
