package dev.vitrail.runtime.fetch;

import dev.vitrail.runtime.fetch.FetchException.Reason;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Turns whatever a fetch failed with into a {@link FetchException} naming the URL. */
final class FetchErrors {
  private FetchErrors() {}

  static FetchException of(URI url, Throwable failure, FetchSettings settings) {
    Throwable e = failure;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof FetchException f) {
      return f;
    }
    String where = UrlPolicy.abbreviate(url.toString());
    String message = String.valueOf(e.getMessage());
    if (e instanceof TimeoutException
        || message.toLowerCase(Locale.ROOT).contains("timeout")
        || message.toLowerCase(Locale.ROOT).contains("timed out")) {
      return new FetchException(
          Reason.TIMEOUT,
          "fetching "
              + where
              + " timed out (vitrail.http.fetch connect-timeout = "
              + settings.connectTimeout()
              + ", read-timeout = "
              + settings.readTimeout()
              + ", timeout = "
              + settings.timeout()
              + ")",
          e);
    }
    return new FetchException(
        Reason.FAILED,
        "cannot fetch " + where + ": " + e.getClass().getSimpleName() + ": " + message,
        e);
  }
}
