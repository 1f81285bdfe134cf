package dev.vitrail.runtime.fetch;

import dev.vitrail.runtime.fetch.FetchException.Reason;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Turns whatever a fetch failed with into a {@link FetchException} naming the URL. */
final class FetchErrors {
  private FetchErrors() {}

  static FetchException of(URI url, Throwable failure, FetchSettings settings) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof FetchException f) {
        return f; // also under a file sink's or stream's wrapper
      }
    }
    Throwable e = root(failure);
    String where = UrlPolicy.abbreviate(url.toString());
    String message = String.valueOf(e.getMessage());
    if (tls(failure)) {
      return new FetchException(
          Reason.TLS,
          "the TLS handshake with "
              + where
              + " failed (a certificate that is not trusted, expired or not for the host;"
              + " vitrail.http.fetch.trust-store adds trusted certificates): "
              + message,
          e);
    }
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

  /** The innermost cause that says something (wrappers without a message of their own skipped). */
  private static Throwable root(Throwable failure) {
    Throwable e = failure;
    while (e.getCause() != null && e.getCause() != e && wrapper(e)) {
      e = e.getCause();
    }
    return e;
  }

  private static boolean wrapper(Throwable e) {
    String n = e.getClass().getName();
    return e instanceof java.util.concurrent.CompletionException
        || e instanceof java.util.concurrent.ExecutionException
        || n.endsWith("IOOperationIncompleteException");
  }

  private static boolean tls(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return true;
      }
    }
    return false;
  }
}
