package dev.vitrail.runtime.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * Answers {@code POST /v1/video}. Before the answer starts: the query is checked (400/404), the
 * media type (415), the declared size ({@code vitrail.http.video.max-video-bytes}, 413), a video
 * slot ({@code max-videos-in-flight}) and the images it holds while streaming (from {@code
 * admission.max-items-in-flight}) are reserved or the request is answered 503 busy; the upload (or,
 * with {@code url=}, the download: {@link UrlVideos}, its URL checked before anything is reserved)
 * streams into a temporary file (backpressured, bounded), FFmpeg opens it and the first frames are
 * decoded (422 {@code invalid_video} if it cannot). Then the answer streams ({@link VideoStream}):
 * one record per frame or temporal patch, an end record, or an error record if decoding fails
 * later. Every reservation, the decoder and the file are released when the stream ends, whether it
 * completed, failed or the client went away.
 */
final class VideoHandler {
  private final ServedModels models;
  private final HttpSettings settings;
  private final VideoSettings video;
  private final ServerMetrics metrics;
  private final DecodePool pool;
  private final AdmissionGate gate;
  private final Lifecycle lifecycle;
  private final ClassicActorSystemProvider system;
  private final UrlVideos urls;
  private final Semaphore slots;

  VideoHandler(
      ServedModels models,
      HttpSettings settings,
      VideoSettings video,
      ServerMetrics metrics,
      DecodePool pool,
      AdmissionGate gate,
      Lifecycle lifecycle,
      ClassicActorSystemProvider system,
      UrlVideos urls) {
    this.models = models;
    this.settings = settings;
    this.video = video;
    this.metrics = metrics;
    this.pool = pool;
    this.gate = gate;
    this.lifecycle = lifecycle;
    this.system = system;
    this.urls = urls;
    this.slots = new Semaphore(video.maxVideosInFlight());
  }

  CompletionStage<HttpResponse> handle(HttpRequest request, String id) {
    metrics.started();
    CompletionStage<HttpResponse> answer;
    try {
      answer = admit(request, id);
    } catch (RuntimeException e) {
      // Refused before reading: drop the body so that the client reads the answer.
      answer =
          VideoUpload.discard(request, video.maxVideoBytes(), system)
              .thenCompose(d -> CompletableFuture.failedFuture(e));
    }
    return answer.handle(
        (ok, err) -> {
          if (err == null) {
            return ok;
          }
          ApiException api = HttpErrors.classify(err);
          metrics.failed(api.kind());
          return HttpErrors.respond(api, id, settings.retryAfter());
        });
  }

  private CompletionStage<HttpResponse> admit(HttpRequest request, String id) {
    if (lifecycle.draining()) {
      throw new ApiException(
          ErrorKind.SHUTTING_DOWN, "the server is shutting down; send the request elsewhere");
    }
    VideoRequest q =
        VideoRequest.parse(
            request.getUri().query().toMap(),
            request.getHeader("Accept").map(h -> h.value()).orElse(null),
            models);
    String media = q.url() == null ? VideoUpload.media(request) : null;
    URI url = q.url() == null ? null : urls.check(q.url());
    OptionalLong declared = request.entity().getContentLengthOption();
    if (declared.isPresent() && declared.getAsLong() > video.maxVideoBytes()) {
      throw tooLarge(declared.getAsLong());
    }
    if (!slots.tryAcquire()) {
      throw busy(
          "videos as it streams at once (vitrail.http.video.max-videos-in-flight = "
              + video.maxVideosInFlight()
              + ")");
    }
    AdmissionGate.Reservation items = gate.tryItems(video.itemsPerVideo());
    if (items == null) {
      slots.release();
      throw busy(
          "images in flight (vitrail.http.admission.max-items-in-flight = "
              + gate.limits().maxItemsInFlight()
              + "; a video holds "
              + video.itemsPerVideo()
              + ")");
    }
    Runnable release =
        once(
            () -> {
              items.close();
              slots.release();
            });
    Path file;
    try {
      file =
          Files.createTempFile(
              video.tempDir() == null ? tempDir() : video.tempDir(), "vitrail-video-", ".upload");
    } catch (IOException e) {
      release.run();
      throw new UncheckedIOException("cannot create the video's temporary file", e);
    }
    CompletionStage<Path> received =
        url != null
            ? urls.fetch(request, url, file, video.maxVideoBytes(), settings.requestTimeout())
            : VideoUpload.receive(request, media, file, video.maxVideoBytes(), system);
    VideoStream stream =
        new VideoStream(q, id, video, pool, gate, settings.requestTimeout(), metrics);
    CompletionStage<HttpResponse> answer =
        received
            .thenCompose(path -> pool.submit(() -> stream.open(path)))
            .thenApply(
                opened ->
                    stream.respond(
                        opened,
                        done -> {
                          // The slot and the items are held while the video streams (docs/http.md).
                          done.whenComplete((d, e) -> release.run());
                          lifecycle.track(done);
                        }));
    return answer.whenComplete(
        (ok, err) -> {
          if (err != null) {
            OpenVideo.delete(file);
            release.run();
          }
        });
  }

  private static Path tempDir() {
    return Path.of(System.getProperty("java.io.tmpdir"));
  }

  private ApiException tooLarge(long size) {
    return new ApiException(
        ErrorKind.BODY_TOO_LARGE,
        "video of "
            + size
            + " bytes exceeds vitrail.http.video.max-video-bytes = "
            + video.maxVideoBytes()
            + " bytes");
  }

  private static ApiException busy(String what) {
    return new ApiException(
        ErrorKind.BUSY, "the server has as many " + what + " as it holds; retry later");
  }

  private static Runnable once(Runnable r) {
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    return () -> {
      if (done.compareAndSet(false, true)) {
        r.run();
      }
    };
  }
}
