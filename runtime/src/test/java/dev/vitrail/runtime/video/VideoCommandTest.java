package dev.vitrail.runtime.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.preprocess.FrameSampler;
import dev.vitrail.encoders.preprocess.ImageProcessors;
import dev.vitrail.encoders.weights.SafetensorsHeader;
import dev.vitrail.runtime.cli.Main;
import dev.vitrail.runtime.golden.Fixtures;
import dev.vitrail.runtime.safetensors.SafetensorsFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code vitrail video}: sampled frames of a file to per-frame features equal to a direct tower call. */
@ExtendWith(LogCapturingExtension.class)
class VideoCommandTest {
  @TempDir Path dir;

  @Test
  void everyNthFrameIsEncodedAndNamedByItsIndex() throws Exception {
    Path model = Fixtures.root().resolve("models/clip-tiny");
    Path video = dir.resolve("clip.avi");
    // 64 px wide: VideoDecoder rejects frames whose RGB rows FFmpeg pads (48 px reads as 4 channels).
    TestVideos.writeMjpegAvi(video, 64, 48, 11, 10);
    Path out = dir.resolve("frames.safetensors");
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int status = Main.run(new PrintWriter(stdout, true), new PrintWriter(stderr, true),
        "video", "--model", model.toString(), "--every", "2", "--out", out.toString(), video.toString());
    assertEquals(0, status, stdout + "\n" + stderr);
    Map<String, FeatureOutput> got = SafetensorsFiles.read(out);
    assertEquals(List.of("frame_000000", "frame_000002", "frame_000004", "frame_000006", "frame_000008",
        "frame_000010"), List.copyOf(got.keySet()));
    SafetensorsHeader header = SafetensorsFiles.header(Files.readAllBytes(out));
    assertEquals(6, header.metadata().get("timestamps_us").split(",").length);

    List<PixelInput> pixels = new ArrayList<>();
    try (VideoDecoder decoder = VideoDecoder.open(video, FrameSampler.everyNth(2))) {
      List<dev.vitrail.encoders.preprocess.RgbImage> frames = new ArrayList<>();
      decoder.forEachRemaining(f -> frames.add(f.image()));
      pixels.addAll(ImageProcessors.forModel(model).processFrames(frames));
    }
    try (FeatureEncoder tower = FeatureEncoders.open(model, EncoderOptions.cpu())) {
      List<FeatureOutput> values = List.copyOf(got.values());
      for (int i = 0; i < pixels.size(); i++) {
        FeatureOutput want = tower.encode(List.of(pixels.get(i)), FeatureSpec.defaults()).get(0);
        assertArrayEquals(want.shape(), values.get(i).shape());
        double worst = 0;
        for (int k = 0; k < want.values().length; k++) {
          worst = Math.max(worst, Math.abs(want.values()[k] - values.get(i).values()[k]));
        }
        assertTrue(worst <= 1e-5, "frame " + i + ": max abs difference " + worst);
      }
    }
  }
}
