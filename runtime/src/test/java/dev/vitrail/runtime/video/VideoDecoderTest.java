package dev.vitrail.runtime.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.encoders.preprocess.FrameSampler;
import dev.vitrail.encoders.preprocess.RgbImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decodes videos written by the test itself: count, order, timestamps and pixels. */
class VideoDecoderTest {
  private static final int W = 64;
  private static final int H = 48;
  private static final int FRAMES = 12;
  private static final double FPS = 10;

  /** Largest mean difference per channel, in uint8 levels, that lossy coding may introduce. */
  private static final double CODEC_LEVELS = 6;

  @TempDir Path dir;

  private static List<VideoFrame> drain(VideoDecoder d) {
    List<VideoFrame> out = new ArrayList<>();
    d.forEachRemaining(out::add);
    return out;
  }

  /** Mean of each channel over the bottom half (away from the moving square). */
  private static double[] meanColour(RgbImage img) {
    double[] sum = new double[3];
    int n = 0;
    for (int y = img.height() / 2; y < img.height(); y++) {
      for (int x = 0; x < img.width(); x++) {
        for (int c = 0; c < 3; c++) {
          sum[c] += img.pixels()[(y * img.width() + x) * 3 + c] & 0xff;
        }
        n++;
      }
    }
    for (int c = 0; c < 3; c++) {
      sum[c] /= n;
    }
    return sum;
  }

  private static void checkFrames(List<VideoFrame> frames, int[] expectedIndices) {
    assertEquals(expectedIndices.length, frames.size(), "frame count");
    for (int k = 0; k < frames.size(); k++) {
      VideoFrame f = frames.get(k);
      int i = expectedIndices[k];
      assertEquals(i, f.index(), "frame order");
      assertEquals(i * 1e6 / FPS, f.timestampMicros(), 1000, "timestamp of frame " + i);
      assertEquals(W, f.image().width());
      assertEquals(H, f.image().height());
      double[] mean = meanColour(f.image());
      int[] want = TestVideos.colour(i);
      for (int c = 0; c < 3; c++) {
        assertEquals(
            want[c],
            mean[c],
            CODEC_LEVELS,
            "frame " + i + " channel " + c + " " + Arrays.toString(mean));
      }
    }
  }

  @Test
  void mp4AllFramesAndEveryThird() throws Exception {
    Path mp4 = dir.resolve("clip.mp4");
    TestVideos.writeMp4(mp4, W, H, FRAMES, FPS);
    try (VideoDecoder d = VideoDecoder.open(mp4, FrameSampler.all())) {
      assertEquals(FPS, d.frameRate(), 1e-6);
      System.out.println("test MP4 codec: " + d.codecName());
      checkFrames(drain(d), new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
    }
    try (Stream<VideoFrame> s = VideoDecoder.open(mp4, FrameSampler.everyNth(3)).stream()) {
      checkFrames(s.collect(Collectors.toList()), new int[] {0, 3, 6, 9});
    }
  }

  @Test
  void oddWidthWithPaddedRowsKeepsItsPixels() throws Exception {
    Path avi = dir.resolve("narrow.avi");
    int w = 46;
    TestVideos.writeMjpegAvi(avi, w, H, 3, FPS);
    try (VideoDecoder d = VideoDecoder.open(avi, FrameSampler.all())) {
      List<VideoFrame> frames = drain(d);
      assertEquals(3, frames.size());
      for (VideoFrame f : frames) {
        assertEquals(w, f.image().width());
        double[] mean = meanColour(f.image());
        int[] want = TestVideos.colour((int) f.index());
        for (int c = 0; c < 3; c++) {
          assertEquals(want[c], mean[c], CODEC_LEVELS, "frame " + f.index() + " channel " + c);
        }
      }
    }
  }

  @Test
  void mjpegAviFromAStreamAtTargetFps() throws Exception {
    Path avi = dir.resolve("clip.avi");
    TestVideos.writeMjpegAvi(avi, W, H, FRAMES, FPS);
    try (InputStream in = Files.newInputStream(avi);
        VideoDecoder d = VideoDecoder.open(in, "clip.avi", FrameSampler.atFps(5))) {
      checkFrames(drain(d), new int[] {0, 2, 4, 6, 8, 10});
    }
  }

  @Test
  void groupsOfTwoPadNothingThemselves() throws Exception {
    Path avi = dir.resolve("odd.avi");
    TestVideos.writeMjpegAvi(avi, W, H, 5, FPS);
    try (VideoDecoder d = VideoDecoder.open(avi, FrameSampler.all())) {
      List<Integer> sizes = new ArrayList<>();
      new FrameGroups(d, 2).forEachRemaining(g -> sizes.add(g.size()));
      assertEquals(List.of(2, 2, 1), sizes);
    }
  }

  @Test
  void corruptVideosGiveAClearError() throws Exception {
    Path garbage = dir.resolve("garbage.mp4");
    byte[] noise = new byte[4096];
    new Random(7).nextBytes(noise);
    Files.write(garbage, noise);
    VideoDecodeException e =
        assertThrows(
            VideoDecodeException.class, () -> VideoDecoder.open(garbage, FrameSampler.all()));
    assertTrue(e.getMessage().contains("garbage.mp4"), e.getMessage());

    Path mp4 = dir.resolve("whole.mp4");
    TestVideos.writeMp4(mp4, W, H, FRAMES, FPS);
    byte[] bytes = Files.readAllBytes(mp4);
    Path cut = dir.resolve("truncated.mp4");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
    assertThrows(
        VideoDecodeException.class,
        () -> {
          try (VideoDecoder d = VideoDecoder.open(cut, FrameSampler.all())) {
            drain(d);
          }
        });
    assertThrows(
        VideoDecodeException.class,
        () -> VideoDecoder.open(dir.resolve("missing.mp4"), FrameSampler.all()));
  }
}
