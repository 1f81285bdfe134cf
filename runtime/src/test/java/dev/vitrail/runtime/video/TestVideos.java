package dev.vitrail.runtime.video;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/** Writes small test videos whose frame i has a known flat colour. */
public final class TestVideos {
  private TestVideos() {}

  /** Frame i's colour: red rises, green falls, blue is fixed. */
  static int[] colour(int i) {
    return new int[] {30 + 20 * i, 200 - 15 * i, 100};
  }

  /** H.264 when the FFmpeg build has an encoder for it, else MPEG-4 Part 2. */
  static int mp4Codec() {
    return avcodec.avcodec_find_encoder(avcodec.AV_CODEC_ID_H264) != null
        ? avcodec.AV_CODEC_ID_H264
        : avcodec.AV_CODEC_ID_MPEG4;
  }

  static void writeMp4(Path file, int w, int h, int frames, double fps) throws Exception {
    write(file, "mp4", mp4Codec(), avutil.AV_PIX_FMT_YUV420P, w, h, frames, fps);
  }

  public static void writeMjpegAvi(Path file, int w, int h, int frames, double fps)
      throws Exception {
    write(file, "avi", avcodec.AV_CODEC_ID_MJPEG, avutil.AV_PIX_FMT_YUVJ420P, w, h, frames, fps);
  }

  static void write(
      Path file, String format, int codec, int pixFmt, int w, int h, int frames, double fps)
      throws Exception {
    try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), w, h, 0)) {
      rec.setFormat(format);
      rec.setVideoCodec(codec);
      rec.setPixelFormat(pixFmt);
      rec.setFrameRate(fps);
      rec.setGopSize(4);
      rec.setVideoBitrate(8_000_000);
      rec.start();
      for (int i = 0; i < frames; i++) {
        try (Frame f = new Frame(w, h, Frame.DEPTH_UBYTE, 3)) {
          fill(f, colour(i), i);
          rec.record(f, avutil.AV_PIX_FMT_RGB24);
        }
      }
      rec.stop();
    }
  }

  /**
   * A flat colour, with a moving bright square in the top-left quarter so frames are not identical.
   */
  static void fill(Frame f, int[] rgb, int i) {
    ByteBuffer b = (ByteBuffer) f.image[0];
    for (int y = 0; y < f.imageHeight; y++) {
      for (int x = 0; x < f.imageWidth; x++) {
        int p = y * f.imageStride + x * 3;
        boolean square = x / 8 == i % 4 && y < 8;
        b.put(p, (byte) (square ? 255 : rgb[0]));
        b.put(p + 1, (byte) (square ? 255 : rgb[1]));
        b.put(p + 2, (byte) (square ? 255 : rgb[2]));
      }
    }
  }
}
