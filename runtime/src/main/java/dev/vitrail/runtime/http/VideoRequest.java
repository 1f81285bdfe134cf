package dev.vitrail.runtime.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrail.encoders.preprocess.FrameSampler;
import java.util.Locale;
import java.util.Map;

/**
 * The query parameters of {@code POST /v1/video}: the model, which frames to keep ({@code fps} or
 * {@code every}, as {@code vitrail video}), the record framing ({@code format}, else {@code
 * Accept}), an optional {@code url} instead of an upload, and the feature options of {@code
 * /v1/encode} ({@code pooled}, {@code dimensions}, {@code select_layers=-2,-1}, ...).
 *
 * @param entry the model it goes to
 * @param options the feature options (no images)
 * @param sampler which frames to keep
 * @param format NDJSON or length-prefixed safetensors
 * @param url a remote video to fetch instead of the body, or null
 */
record VideoRequest(
    ServedModels.Entry entry,
    EmbeddingsRequest options,
    FrameSampler sampler,
    VideoRecords.Format format,
    String url) {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Parses {@code query}; every problem is a 400 naming the parameter, an unknown model 404. */
  static VideoRequest parse(Map<String, String> query, String accept, ServedModels models) {
    ServedModels.Entry entry = models.pick(query.get("model"));
    ObjectNode options = NODES.objectNode();
    for (Map.Entry<String, String> e : query.entrySet()) {
      switch (e.getKey()) {
        case "fps", "every", "format", "url" -> {}
        default -> options.set(e.getKey(), EncodeHandler.value(e.getKey(), e.getValue()));
      }
    }
    return new VideoRequest(
        entry,
        entry.parser().videoOptions(options),
        sampler(query.get("fps"), query.get("every")),
        format(query.get("format"), accept),
        query.get("url"));
  }

  static FrameSampler sampler(String fps, String every) {
    if (fps != null && every != null) {
      throw new ApiException(
          ErrorKind.MALFORMED_REQUEST, "fps and every: give one of them, not both");
    }
    if (fps != null) {
      double f;
      try {
        f = Double.parseDouble(fps);
      } catch (NumberFormatException e) {
        f = Double.NaN;
      }
      if (!(f > 0) || Double.isInfinite(f)) {
        throw JsonFields.malformed("fps", "a number of frames per second > 0", fps);
      }
      return FrameSampler.atFps(f);
    }
    if (every != null) {
      int n;
      try {
        n = Integer.parseInt(every);
      } catch (NumberFormatException e) {
        n = 0;
      }
      if (n < 1) {
        throw JsonFields.malformed("every", "an integer >= 1 (keep every Nth frame)", every);
      }
      return FrameSampler.everyNth(n);
    }
    return FrameSampler.all();
  }

  static VideoRecords.Format format(String format, String accept) {
    if (format != null) {
      return switch (format) {
        case "ndjson", "json" -> VideoRecords.Format.NDJSON;
        case "safetensors" -> VideoRecords.Format.SAFETENSORS;
        default -> throw JsonFields.malformed("format", "ndjson or safetensors", format);
      };
    }
    String a = accept == null ? "" : accept.toLowerCase(Locale.ROOT);
    return a.contains("application/octet-stream") && !a.contains("application/x-ndjson")
        ? VideoRecords.Format.SAFETENSORS
        : VideoRecords.Format.NDJSON;
  }
}
