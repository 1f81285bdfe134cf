package dev.vitrail.runtime.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.preprocess.FrameSampler;
import dev.vitrail.encoders.preprocess.ImageProcessors;
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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code vitrail video}: sampled frames of a file to features equal to a direct tower call. */
@ExtendWith(LogCapturingExtension.class)
class VideoCommandTest {
  @TempDir Path dir;

  @Test
  @Tag(Fixtures.TAG) // clip-tiny: also run on tools/fixtures/alt
  void everyNthFrameOfAClipTowerIsOneTensorNamedByItsIndex() throws Exception {
    Path video = dir.resolve("clip.avi");
    // 64 px wide: VideoDecoder rejects frames whose RGB rows FFmpeg pads (48 px reads as 4
    // channels).
    TestVideos.writeMjpegAvi(video, 64, 48, 11, 10);
    List<String> names =
        encodeAndCompare("clip-tiny", video, FrameSampler.everyNth(2), 1, "--every", "2");
    assertEquals(
        List.of(
            "frame_000000",
            "frame_000002",
            "frame_000004",
            "frame_000006",
            "frame_000008",
            "frame_000010"),
        names);
  }

  @Test
  @Tag(Fixtures.TAG) // qwen2_5_vl-tiny: also run on tools/fixtures/alt
  void qwenFramesArePairedPerTemporalPatch() throws Exception {
    Path video = dir.resolve("qwen.avi");
    TestVideos.writeMjpegAvi(video, 64, 48, 8, 10);
    List<String> names = encodeAndCompare("qwen2_5_vl-tiny", video, FrameSampler.all(), 2);
    assertEquals(
        List.of(
            "frames_000000-000001",
            "frames_000002-000003",
            "frames_000004-000005",
            "frames_000006-000007"),
        names);
  }

  @Test
  @Tag(Fixtures.TAG) // clip-tiny: also run on tools/fixtures/alt
  void theDefaultOutputIsBesideTheVideoAndATruncatedVideoIsAWarningWithItsFrameCount()
      throws Exception {
    Path whole = dir.resolve("whole.avi");
    TestVideos.writeMjpegAvi(whole, 64, 48, 30, 10);
    byte[] bytes = Files.readAllBytes(whole);
    Path cut = dir.resolve("cut.avi");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length * 7 / 10));
    String model = Fixtures.root().resolve("models/clip-tiny").toString();

    StringWriter err = new StringWriter();
    int ok =
        Main.run(
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            "video",
            "--model",
            model,
            whole.toString());
    assertEquals(0, ok, err.toString());
    assertTrue(Files.isRegularFile(dir.resolve("whole.safetensors")));
    assertTrue(!err.toString().contains("warning"), err.toString());

    StringWriter cutErr = new StringWriter();
    int status =
        Main.run(
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(cutErr, true),
            "video",
            "--model",
            model,
            cut.toString());
    String message = cutErr.toString();
    int read = SafetensorsFiles.read(dir.resolve("cut.safetensors")).size();
    assertEquals(0, status, message);
    assertTrue(read > 0 && read < 30, read + " frames");
    assertTrue(message.contains("warning: read " + read + " of about "), message);
  }

  @Test
  @Tag(Fixtures.TAG) // clip-tiny: also run on tools/fixtures/alt
  void aCorruptVideoIsOneLineAndAFailedExit() throws Exception {
    Path garbage = dir.resolve("garbage.mp4");
    byte[] noise = new byte[4096];
    new java.util.Random(7).nextBytes(noise);
    Files.write(garbage, noise);
    StringWriter err = new StringWriter();
    int status =
        Main.run(
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            "video",
            "--model",
            Fixtures.root().resolve("models/clip-tiny").toString(),
            garbage.toString());
    assertEquals(Main.SOME_FAILED, status, err.toString());
    assertEquals(1, err.toString().strip().lines().count(), err.toString());
    assertTrue(err.toString().startsWith("error: ") && err.toString().contains("garbage.mp4"));
    assertTrue(!Files.exists(dir.resolve("garbage.safetensors")));
  }

  /** Runs the command, checks each tensor against a direct call, and returns the tensor names. */
  private List<String> encodeAndCompare(
      String modelName, Path video, FrameSampler sampler, int framesPerInput, String... options)
      throws Exception {
    Path model = Fixtures.root().resolve("models/" + modelName);
    Path out = dir.resolve(modelName + ".safetensors");
    List<String> args =
        new ArrayList<>(List.of("video", "--model", model.toString(), "--out", out.toString()));
    args.addAll(List.of(options));
    args.add(video.toString());
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int status =
        Main.run(
            new PrintWriter(stdout, true),
            new PrintWriter(stderr, true),
            args.toArray(String[]::new));
    assertEquals(0, status, stdout + "\n" + stderr);
    Map<String, FeatureOutput> got = SafetensorsFiles.read(out);
    Map<String, String> metadata = SafetensorsFiles.header(Files.readAllBytes(out)).metadata();
    String[] stamps = metadata.get("timestamps_us").split(",");
    // The same metadata as `vitrail encode` writes: format, model and family, then the video's.
    assertEquals("pt", metadata.get("format"));
    assertEquals(modelName, metadata.get("model"));
    assertEquals(HfConfigs.read(model).family(), metadata.get("family"));
    assertEquals(got.size(), stamps.length);

    List<VideoInput> inputs = new ArrayList<>();
    try (VideoDecoder decoder = VideoDecoder.open(video, sampler)) {
      new VideoInputs(decoder, ImageProcessors.forModel(model), framesPerInput)
          .forEachRemaining(inputs::add);
    }
    assertEquals(inputs.size(), got.size());
    List<FeatureOutput> values = List.copyOf(got.values());
    try (FeatureEncoder tower = FeatureEncoders.open(model, EncoderOptions.cpu())) {
      for (int i = 0; i < inputs.size(); i++) {
        assertEquals(inputs.get(i).firstTimestampMicros(), Long.parseLong(stamps[i]));
        FeatureOutput want =
            tower.encode(List.of(inputs.get(i).pixels()), FeatureSpec.defaults()).get(0);
        assertArrayEquals(want.shape(), values.get(i).shape());
        double worst = 0;
        for (int k = 0; k < want.values().length; k++) {
          worst = Math.max(worst, Math.abs(want.values()[k] - values.get(i).values()[k]));
        }
        assertTrue(worst <= 1e-5, "input " + i + ": max abs difference " + worst);
      }
    }
    return List.copyOf(got.keySet());
  }
}
