package dev.vitrail.runtime.fetch;

import dev.vitrail.runtime.fetch.FetchException.Reason;
import java.util.Locale;

/**
 * What a fetch expects, and the declared content types it accepts: {@code image/*} for images,
 * {@code video/*} for videos, and for both the generic binary types {@code
 * application/octet-stream} (also what an answer without a Content-Type becomes) and {@code
 * binary/octet-stream} (object stores' default). Anything else is refused before its body is read;
 * a body of the right type that is not what it claims is the decoder's to refuse.
 */
enum MediaKind {
  /** An image: {@code image/*}. */
  IMAGE("image/", "an image", Reason.NOT_IMAGE),
  /** A video: {@code video/*}. */
  VIDEO("video/", "a video", Reason.NOT_VIDEO);

  private final String prefix;
  private final String what;
  private final Reason refusal;

  MediaKind(String prefix, String what, Reason refusal) {
    this.prefix = prefix;
    this.what = what;
    this.refusal = refusal;
  }

  /** Fails unless {@code mediaType} (type/subtype, no parameters) is one this kind accepts. */
  void check(String mediaType, String url) {
    String lower = mediaType.toLowerCase(Locale.ROOT);
    if (!lower.startsWith(prefix)
        && !lower.equals("application/octet-stream")
        && !lower.equals("binary/octet-stream")) {
      throw new FetchException(refusal, url + " is '" + mediaType + "', not " + what);
    }
  }
}
