package dev.vitrail.runtime.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;

/**
 * The end of one {@link VideoStream} answer: closes the video (giving its slot back) and completes
 * {@link #ended()}. Run just before the last record (end or error) is sent, when the stream stops
 * early, or, for an answer Pekko never starts, once the request's wait has passed.
 */
final class VideoStreamEnd implements Runnable {
  private final OpenVideo video;
  private final AtomicBoolean started = new AtomicBoolean();
  private final CompletableFuture<Done> ended = new CompletableFuture<>();

  VideoStreamEnd(OpenVideo video) {
    this.video = video;
  }

  @Override
  public void run() {
    video.close();
    ended.complete(Done.getInstance());
  }

  /** The answer's stream has started (it ends through {@link #run} from then on). */
  void started() {
    started.set(true);
  }

  /**
   * Ends after {@code wait} unless the stream has started by then: an answer Pekko never sends (the
   * client left first, or the request timed out) still ends.
   */
  void unlessStartedWithin(Duration wait) {
    CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS)
        .execute(
            () -> {
              if (!started.get()) {
                run();
              }
            });
  }

  /** Completes once the video is closed. */
  CompletableFuture<Done> ended() {
    return ended;
  }
}
