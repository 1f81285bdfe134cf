package dev.vitrail.runtime.cli;

import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.preprocess.FrameSampler;
import dev.vitrail.runtime.api.EncodeRequest;
import dev.vitrail.runtime.model.ServedModel;
import dev.vitrail.runtime.safetensors.SafetensorsFileWriter;
import dev.vitrail.runtime.video.VideoDecodeException;
import dev.vitrail.runtime.video.VideoDecoder;
import dev.vitrail.runtime.video.VideoFraming;
import dev.vitrail.runtime.video.VideoInput;
import dev.vitrail.runtime.video.VideoInputs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.apache.pekko.Done;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vitrail video}: a video file to per-frame features (per temporal patch for Qwen2-VL style
 * towers), decoded and encoded as a stream so memory holds a few frame groups at a time. Tensors
 * are named {@code frame_<index>} (or {@code frames_<first>-<last>} for a temporal patch); the
 * header metadata {@code timestamps_us} lists each tensor's first-frame timestamp in order.
 */
@Command(
    name = "video",
    mixinStandardHelpOptions = true,
    description = "Encode the frames of a video file into a safetensors file.",
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.OK, ExitCodes.SOME_FAILED, ExitCodes.USAGE},
    footerHeading = ExitCodes.EXAMPLE,
    footer = "  vitrail video --model models/clip-tiny --every 2 clip.avi")
final class VideoCommand implements Callable<Integer> {
  /** Tower inputs per encode request (features still come back one per frame or temporal patch). */
  static final int INPUTS_PER_REQUEST = 8;

  @Mixin ModelOptions model;
  @Mixin FeatureOptions features;

  @ArgGroup(exclusive = true)
  Sampling sampling = new Sampling();

  /** Which frames to keep. */
  static final class Sampling {
    @Option(
        names = "--fps",
        paramLabel = "F",
        description = "Keep at most F frames per second of video (default: no limit).")
    Double fps;

    @Option(
        names = "--every",
        paramLabel = "N",
        description = "Keep every Nth frame (default: every frame).")
    Integer every;

    FrameSampler sampler() {
      if (fps != null) {
        if (!(fps > 0)) {
          throw new CliException("--fps must be > 0, got " + fps);
        }
        return FrameSampler.atFps(fps);
      }
      if (every != null && every < 1) {
        throw new CliException("--every must be >= 1, got " + every);
      }
      return every == null ? FrameSampler.all() : FrameSampler.everyNth(every);
    }
  }

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Output file (default: <video name>.safetensors).")
  Path out;

  @Parameters(index = "0", paramLabel = "FILE", description = "Video file (anything FFmpeg reads).")
  Path video;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(video)) {
      throw new CliException("no such video file: " + video);
    }
    FrameSampler sampler = sampling.sampler();
    FeatureSpec featureSpec = features.spec(model.dir());
    String stem = video.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    // Beside the video unless --out says otherwise: never silently into the working directory.
    Path target =
        (out != null ? out : video.toAbsolutePath().resolveSibling(stem + ".safetensors"))
            .toAbsolutePath();
    StringJoiner timestamps = new StringJoiner(",");
    long start = System.nanoTime();
    try (ServedModel m = model.open();
        VideoDecoder decoder = VideoDecoder.open(video, sampler);
        SafetensorsFileWriter writer = SafetensorsFileWriter.create(target);
        ProgressBar bar = ProgressBars.open("video", -1, "frame")) {
      int framesPerInput = VideoFraming.framesPerInput(m.config());
      Source.fromIterator(() -> new VideoInputs(decoder, m.processor(), framesPerInput))
          .grouped(INPUTS_PER_REQUEST)
          .withAttributes(ActorAttributes.dispatcher("pekko.actor.default-blocking-io-dispatcher"))
          .mapAsync(
              m.vitrail().settings().streamMaxInFlightRequests(),
              inputs ->
                  m.vitrail()
                      .encode(
                          EncodeRequest.ofPixels(
                              video.getFileName().toString(),
                              inputs.stream().map(VideoInput::pixels).toList(),
                              featureSpec))
                      .thenApply(result -> Pair.create(inputs, result.features())))
          .runWith(
              Sink.foreach(
                  p -> {
                    write(writer, p.first(), p.second(), timestamps);
                    bar.stepBy(p.first().stream().mapToLong(VideoInput::frames).sum());
                  }),
              m.vitrail().system())
          .toCompletableFuture()
          .exceptionally(VideoCommand::rethrowDecodeFailure)
          .join();
      warnIfShort(decoder);
      if (writer.size() == 0) {
        throw new VideoDecodeException(
            "no frames decoded from "
                + video
                + (decoder.declaredFrames() > 0
                    ? " (it declares about " + decoder.declaredFrames() + "; truncated?)"
                    : ""));
      }
      writer.finish(
          Map.of(
              "format",
              "pt",
              "model",
              m.name(),
              "family",
              m.config().family(),
              "source",
              video.getFileName().toString(),
              "timestamps_us",
              timestamps.toString()));
      double seconds = (System.nanoTime() - start) / 1e9;
      spec.commandLine()
          .getOut()
          .printf(
              "encoded %d tensors from %s in %.2f s (%.1f per s, %.2f fps source)%n",
              writer.size(), video, seconds, writer.size() / seconds, decoder.frameRate());
    }
    spec.commandLine().getOut().println("wrote " + target);
    return 0;
  }

  /** A decoding failure surfaces as itself (one line from Main), not wrapped in the stream's. */
  private static Done rethrowDecodeFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof VideoDecodeException e) {
        throw e;
      }
    }
    throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
  }

  /** A video that ends before the frames its container declares (truncated) is said so. */
  private void warnIfShort(VideoDecoder decoder) {
    long read = decoder.framesDecoded();
    int declared = decoder.declaredFrames();
    if (declared > 0 && read < declared) {
      spec.commandLine()
          .getErr()
          .printf(
              "warning: read %d of about %d frames %s declares (truncated or damaged?);"
                  + " features are for the %d frames read%n",
              read, declared, video, read);
    }
  }

  private static void write(
      SafetensorsFileWriter writer,
      List<VideoInput> inputs,
      List<FeatureOutput> outputs,
      StringJoiner timestamps) {
    try {
      for (int i = 0; i < inputs.size(); i++) {
        VideoInput in = inputs.get(i);
        writer.add(VideoFraming.name(in), outputs.get(i).shape(), outputs.get(i).values());
        timestamps.add(Long.toString(in.firstTimestampMicros()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
