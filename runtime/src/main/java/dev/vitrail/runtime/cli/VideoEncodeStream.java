package dev.vitrail.runtime.cli;

import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
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
import java.util.List;
import java.util.StringJoiner;
import me.tongfei.progressbar.ProgressBar;
import org.apache.pekko.Done;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The stream of {@code vitrail video}: the decoder's tower inputs (one per frame, or per temporal
 * patch), {@link #INPUTS_PER_REQUEST} to an encode request, a bounded number of requests in flight,
 * each request's features written in order as they come back, so memory holds a few frame groups
 * whatever the video's length.
 */
final class VideoEncodeStream {
  /** Tower inputs per encode request (features still come back one per frame or temporal patch). */
  static final int INPUTS_PER_REQUEST = 8;

  private VideoEncodeStream() {}

  /**
   * Encodes every input {@code decoder} gives with {@code m}, writes each feature to {@code writer}
   * (named by {@link VideoFraming#name}) and its first-frame timestamp to {@code timestamps}, and
   * steps {@code bar} by the frames done; returns when the last is written. A decoding failure is
   * thrown as itself.
   */
  static void run(
      ServedModel m,
      VideoDecoder decoder,
      FeatureSpec featureSpec,
      String source,
      SafetensorsFileWriter writer,
      ProgressBar bar,
      StringJoiner timestamps) {
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
                            source, inputs.stream().map(VideoInput::pixels).toList(), featureSpec))
                    .thenApply(result -> Pair.create(inputs, result.features())))
        .runWith(
            Sink.foreach(
                p -> {
                  write(writer, p.first(), p.second(), timestamps);
                  bar.stepBy(p.first().stream().mapToLong(VideoInput::frames).sum());
                }),
            m.vitrail().system())
        .toCompletableFuture()
        .exceptionally(VideoEncodeStream::rethrowDecodeFailure)
        .join();
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
