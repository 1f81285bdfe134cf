package dev.vitrail.runtime.http;

import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.runtime.video.VideoFraming;
import dev.vitrail.runtime.video.VideoInput;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.japi.pf.PFBuilder;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * One {@code POST /v1/video} answer: the video opened with its first frames decoded (so a video
 * that cannot be read is a 4xx before the answer starts), then a chunked stream in which batches of
 * tower inputs are decoded on the decoding pool one at a time, encoded with a bounded number of
 * requests in flight ({@link VideoEncodes}), and rendered as records as each batch is ready. Demand
 * comes from the client's connection: a slow reader slows decoding, and one that goes away cancels
 * it.
 */
final class VideoStream {
  private static final ContentType NDJSON =
      ContentTypes.create(MediaTypes.customBinary("application", "x-ndjson", true));
  private final VideoRequest q;
  private final VideoSettings video;
  private final DecodePool pool;
  private final AdmissionGate gate;
  private final Duration wait;
  private final ServerMetrics metrics;
  private final VideoEncodes encodes;

  VideoStream(
      VideoRequest q,
      String id,
      VideoSettings video,
      DecodePool pool,
      AdmissionGate gate,
      Duration wait,
      ServerMetrics metrics) {
    this.q = q;
    this.video = video;
    this.pool = pool;
    this.gate = gate;
    this.wait = wait;
    this.metrics = metrics;
    this.encodes = new VideoEncodes(q, id, wait);
  }

  /** The opened video and its first batch of tower inputs (never empty). */
  record Opened(OpenVideo video, List<VideoInput> first) {}

  /** Opens the uploaded file and decodes the first batch; 422 when there is none. */
  Opened open(Path file) {
    var model = q.entry().model();
    OpenVideo v =
        OpenVideo.open(
            file,
            q.sampler(),
            model.processor(),
            VideoFraming.framesPerInput(model.config()),
            gate,
            wait);
    try {
      List<VideoInput> first = v.next(video.inputsPerRequest());
      if (first.isEmpty()) {
        throw new ApiException(
            ErrorKind.INVALID_VIDEO,
            "no frames decoded from the video"
                + (v.declaredFrames() > 0
                    ? " (it declares about " + v.declaredFrames() + "; truncated?)"
                    : ""));
      }
      return new Opened(v, first);
    } catch (InterruptedException e) {
      v.close();
      Thread.currentThread().interrupt();
      throw new ApiException(ErrorKind.SHUTTING_DOWN, "interrupted while decoding the video", e);
    } catch (RuntimeException e) {
      v.close();
      throw e;
    }
  }

  /**
   * The streamed answer; {@code onEnd} gets a stage that completes once the video is closed: just
   * before the stream's last record (end or error) is sent, when the stream stops early (the client
   * left), or, should the answer never be sent, after the request timeout.
   */
  HttpResponse respond(Opened o, Consumer<CompletionStage<Done>> onEnd) {
    OpenVideo v = o.video();
    VideoRecords.Format format = q.format();
    AtomicInteger records = new AtomicInteger();
    VideoStreamEnd end = new VideoStreamEnd(v);
    Source<List<VideoInput>, NotUsed> batches =
        Source.single(o.first())
            .concatLazy(
                Source.unfoldAsync(
                    Boolean.TRUE,
                    s ->
                        pool.submitWaiting(() -> next(v), wait)
                            .thenApply(
                                b ->
                                    b.isEmpty()
                                        ? Optional.empty()
                                        : Optional.of(Pair.create(s, b)))));
    Source<ByteString, NotUsed> body =
        Source.lazySource(
                () -> {
                  end.started();
                  return batches;
                })
            .mapAsync(video.requestsInFlight(), encodes::encode)
            .mapConcat(p -> render(p.first(), p.second(), records))
            .concatLazy(
                Source.lazySingle(
                    () -> {
                      byte[] last =
                          VideoRecords.end(
                              format,
                              q.entry().model().name(),
                              records.get(),
                              v.framesDecoded(),
                              v.declaredFrames());
                      // Closed (and its slot given back) before the client can read the end, so
                      // a client that sends its next video on reading it finds the slot free.
                      end.run();
                      return ByteString.fromArray(last);
                    }))
            .recover(
                new PFBuilder<Throwable, ByteString>()
                    .match(
                        Throwable.class,
                        e -> {
                          ApiException api = HttpErrors.classify(e);
                          metrics.rejected(api.kind());
                          byte[] last = VideoRecords.error(format, api, records.get());
                          end.run();
                          return ByteString.fromArray(last);
                        })
                    .build())
            .watchTermination(
                (mat, done) -> {
                  done.whenComplete((d, err) -> end.run());
                  return NotUsed.getInstance();
                });
    // An answer Pekko never sends (the client left first, or the request timed out) still ends.
    end.unlessStartedWithin(wait);
    onEnd.accept(end.ended().whenComplete((d, err) -> metrics.succeeded(records.get())));
    return HttpResponse.create()
        .withEntity(
            HttpEntities.createChunked(
                format == VideoRecords.Format.NDJSON
                    ? NDJSON
                    : ContentTypes.APPLICATION_OCTET_STREAM,
                body));
  }

  private List<VideoInput> next(OpenVideo v) {
    try {
      return v.next(video.inputsPerRequest());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(ErrorKind.SHUTTING_DOWN, "interrupted while decoding the video", e);
    }
  }

  private List<ByteString> render(
      List<VideoInput> batch, List<FeatureOutput> raw, AtomicInteger records) {
    List<FeatureOutput> features = EmbeddingsHandler.shaped(q.options(), raw);
    List<ByteString> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      out.add(
          ByteString.fromArray(
              VideoRecords.frame(
                  q.format(),
                  records.getAndIncrement(),
                  batch.get(i),
                  features.get(i),
                  q.options().format())));
    }
    return out;
  }
}
