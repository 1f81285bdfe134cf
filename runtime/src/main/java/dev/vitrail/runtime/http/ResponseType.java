package dev.vitrail.runtime.http;

import java.util.Locale;

/** What {@code /v1/embeddings} answers with, chosen from the request's Accept header. */
enum ResponseType {
  /** {@code application/json}: the OpenAI-style list. */
  JSON,
  /** {@code application/octet-stream}: a safetensors body. */
  SAFETENSORS;

  /**
   * The first listed type this endpoint produces (quality values are not weighed): JSON for no
   * header, {@code application/json}, {@code application/*} or {@code *}{@code /*}; safetensors for
   * {@code application/octet-stream}; otherwise 406.
   */
  static ResponseType negotiate(String accept) {
    if (accept == null || accept.isBlank()) {
      return JSON;
    }
    for (String part : accept.split(",")) {
      String type = part.split(";")[0].strip().toLowerCase(Locale.ROOT);
      switch (type) {
        case "application/octet-stream" -> {
          return SAFETENSORS;
        }
        case "application/json", "application/*", "*/*" -> {
          return JSON;
        }
        default -> {}
      }
    }
    throw new ApiException(
        ErrorKind.NOT_ACCEPTABLE,
        "Accept '"
            + accept
            + "' names no type this endpoint produces: application/json or application/octet-stream (safetensors)");
  }
}
