package dev.vitrail.runtime.http;

import dev.vitrail.runtime.fetch.FetchException;
import dev.vitrail.runtime.fetch.UrlFetcher;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * The videos of {@code POST /v1/video?url=...}, fetched by the server's one {@link UrlFetcher} (so
 * image and video fetches share its {@code max-concurrent} bound, allow-list, address checks,
 * redirects and timeouts) straight into the video's temporary file, at most {@code
 * vitrail.http.video.max-video-bytes}. Each refusal names the {@code url} parameter.
 */
final class UrlVideos {
  private final UrlFetcher fetcher;

  /**
   * @param fetcher the server's fetcher, or null when URL fetching is off
   */
  UrlVideos(UrlFetcher fetcher) {
    this.fetcher = fetcher;
  }

  /**
   * The URL of {@code text} if the allow-list admits its scheme and host (checked before anything
   * is reserved); fails with the answer otherwise.
   */
  URI check(String text) {
    if (fetcher == null) {
      throw new ApiException(
          ErrorKind.URL_FETCH_DISABLED,
          "url: remote URLs are not fetched by this server (vitrail.http.fetch.enabled = false);"
              + " upload the video's bytes instead");
    }
    try {
      URI url = fetcher.policy().parse(text);
      fetcher.policy().checkUrl(url);
      return url;
    } catch (FetchException e) {
      throw named(e);
    }
  }

  /**
   * Writes the video at {@code url} to {@code target}; fails with the answer to give. The download
   * stops (its connection closes, the file stops growing) when the client of {@code request} leaves
   * or it takes longer than {@code timeout}, the request's own limit.
   */
  CompletionStage<Path> fetch(
      HttpRequest request, URI url, Path target, long maxBytes, Duration timeout) {
    return ConnectionWatch.forRequest(
            request,
            fetcher.download(url, target, maxBytes, "vitrail.http.video.max-video-bytes"),
            timeout)
        .handle(
            (bytes, err) -> {
              if (err != null) {
                ApiException api = HttpErrors.classify(err);
                throw new ApiException(api.kind(), "url: " + api.getMessage(), err);
              }
              return target;
            });
  }

  private static ApiException named(FetchException e) {
    return new ApiException(HttpErrors.fetchKind(e.reason()), "url: " + e.getMessage(), e);
  }
}
