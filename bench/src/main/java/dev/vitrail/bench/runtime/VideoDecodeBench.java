package dev.vitrail.bench.runtime;

import dev.vitrail.encoders.preprocess.ClipProcessor;
import dev.vitrail.encoders.preprocess.ClipSettings;
import dev.vitrail.encoders.preprocess.FrameSampler;
import dev.vitrail.encoders.preprocess.ImageDecoder;
import dev.vitrail.runtime.video.VideoDecoder;
import dev.vitrail.runtime.video.VideoFrame;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Decoded frames per second for a generated 1280x720 H.264 clip (30 fps): decode to RGB only, and
 * decode + CLIP 224 preprocessing per frame. Arguments: {@code [frames] [runs]} (default 150, 5).
 */
public final class VideoDecodeBench {
  private VideoDecodeBench() {}

  public static void main(String[] args) throws Exception {
    int frames = args.length > 0 ? Integer.parseInt(args[0]) : 150;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path clip = Files.createTempFile("vitrail-bench", ".mp4");
    try {
      long t0 = System.nanoTime();
      write(clip, 1280, 720, frames, 30);
      System.out.printf(
          "wrote %d frames of 1280x720 H.264 (%d bytes) in %.1f s%n",
          frames, Files.size(clip), (System.nanoTime() - t0) / 1e9);
      ClipProcessor proc =
          new ClipProcessor(ClipSettings.defaults(224), ImageDecoder.servingDefaults());
      decode(clip, null);
      double[] plain = new double[runs];
      double[] withClip = new double[runs];
      for (int r = 0; r < runs; r++) {
        plain[r] = decode(clip, null);
        withClip[r] = decode(clip, proc);
      }
      System.out.printf(
          "decode to RGB: median %.1f frames/s %s%n", median(plain), Arrays.toString(plain));
      System.out.printf(
          "decode + CLIP 224: median %.1f frames/s %s%n",
          median(withClip), Arrays.toString(withClip));
    } finally {
      Files.deleteIfExists(clip);
    }
  }

  private static double decode(Path clip, ClipProcessor proc) {
    long start = System.nanoTime();
    long n = 0;
    try (VideoDecoder d = VideoDecoder.open(clip, FrameSampler.all())) {
      while (d.hasNext()) {
        VideoFrame f = d.next();
        if (proc != null) {
          proc.process(f.image());
        }
        n++;
      }
    }
    return Math.round(n / ((System.nanoTime() - start) / 1e9) * 10) / 10.0;
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static void write(Path file, int w, int h, int frames, double fps) throws Exception {
    Random rnd = new Random(3);
    byte[] noise = new byte[w * h * 3];
    rnd.nextBytes(noise);
    try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), w, h, 0)) {
      rec.setFormat("mp4");
      rec.setVideoCodec(avcodec.AV_CODEC_ID_H264);
      rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      rec.setFrameRate(fps);
      rec.setVideoBitrate(4_000_000);
      rec.start();
      try (Frame f = new Frame(w, h, Frame.DEPTH_UBYTE, 3)) {
        ByteBuffer b = (ByteBuffer) f.image[0];
        for (int i = 0; i < frames; i++) {
          for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
              int p = y * f.imageStride + x * 3;
              int q = (y * w + x) * 3;
              b.put(p, (byte) (((x + 4 * i) & 255) + (noise[q] >> 4)));
              b.put(p + 1, (byte) (((y + 2 * i) & 255) + (noise[q + 1] >> 4)));
              b.put(p + 2, (byte) (((x + y) / 8 % 2) * 160 + (noise[q + 2] >> 4)));
            }
          }
          rec.record(f, avutil.AV_PIX_FMT_RGB24);
        }
      }
      rec.stop();
    }
  }
}
