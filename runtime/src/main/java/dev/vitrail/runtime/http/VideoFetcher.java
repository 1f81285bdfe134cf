package dev.vitrail.runtime.http;

import java.nio.file.Path;
import java.util.concurrent.CompletionStage;

/**
 * Fetches a remote video for {@code POST /v1/video?url=...}: the opt-in URL fetcher (allow-list,
 * address checks, timeouts) plugs in here. Without one, a URL is answered 422.
 */
@FunctionalInterface
public interface VideoFetcher {
  /**
   * Copies the resource at {@code url} into {@code target}, at most {@code maxBytes}; the stage
   * fails with an {@link ApiException} naming why a URL is refused or the download failed.
   */
  CompletionStage<Path> fetch(String url, Path target, long maxBytes);
}
