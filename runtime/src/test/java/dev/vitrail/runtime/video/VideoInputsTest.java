package dev.vitrail.runtime.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vitrail.encoders.preprocess.ClipProcessor;
import dev.vitrail.encoders.preprocess.ClipSettings;
import dev.vitrail.encoders.preprocess.FrameSampler;
import dev.vitrail.encoders.preprocess.ImageDecoder;
import dev.vitrail.encoders.preprocess.Normalization;
import dev.vitrail.encoders.preprocess.Qwen2VlProcessor;
import dev.vitrail.encoders.preprocess.Qwen2VlSettings;
import dev.vitrail.encoders.preprocess.ResampleFilter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A decoded clip becomes per-frame inputs for CLIP and paired clips for Qwen2-VL. */
class VideoInputsTest {
  @TempDir Path dir;

  private List<VideoInput> inputs(
      Path video, dev.vitrail.encoders.preprocess.ImageProcessor p, int group) {
    List<VideoInput> out = new ArrayList<>();
    try (VideoDecoder d = VideoDecoder.open(video, FrameSampler.all())) {
      new VideoInputs(d, p, group).forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void clipFramesAreImagesAndQwenPairsFrames() throws Exception {
    Path avi = dir.resolve("five.avi");
    TestVideos.writeMjpegAvi(avi, 64, 48, 5, 10);
    ImageDecoder decoder = ImageDecoder.servingDefaults();

    List<VideoInput> clip = inputs(avi, new ClipProcessor(ClipSettings.defaults(32), decoder), 4);
    assertEquals(5, clip.size());
    for (int i = 0; i < 5; i++) {
      assertEquals(i, clip.get(i).firstIndex());
      assertEquals(i * 100_000, clip.get(i).firstTimestampMicros(), 1000);
      assertArrayEquals(new int[] {3, 32, 32}, clip.get(i).pixels().shape());
    }

    Qwen2VlSettings s =
        new Qwen2VlSettings(
            14, 2, 2, 3136, 3136, 3136, 3136, ResampleFilter.BICUBIC, Normalization.openAiClip());
    List<VideoInput> qwen = inputs(avi, new Qwen2VlProcessor(s, decoder), 4);
    assertEquals(2, qwen.size());
    assertEquals(4, qwen.get(0).frames());
    assertArrayEquals(new int[] {2, 4, 4}, qwen.get(0).pixels().gridThw());
    assertEquals(3, qwen.get(0).lastIndex());
    assertEquals(1, qwen.get(1).frames());
    assertEquals(4, qwen.get(1).firstIndex());
    assertArrayEquals(new int[] {1, 4, 4}, qwen.get(1).pixels().gridThw());
  }
}
