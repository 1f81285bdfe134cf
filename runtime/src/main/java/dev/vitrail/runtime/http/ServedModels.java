package dev.vitrail.runtime.http;

import dev.vitrail.runtime.dedupe.ImageDedupe;
import dev.vitrail.runtime.model.ServedModel;
import dev.vitrail.runtime.vlm.VlmEncoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The models one server serves, by name, each with what its endpoints need: the request parser
 * (bounded by the model's layers and in-flight limit), the image admission (its processor), its VLM
 * encoder tier when its family has one, and its dedupe caches. A request's {@code model} picks one;
 * without it, the only one when exactly one is served.
 */
final class ServedModels {
  /**
   * One served model and its request-side parts.
   *
   * @param model the running model
   * @param parser its {@code /v1/embeddings} parser
   * @param images admission and decoding with its processor
   * @param vlm its VLM encoder tier, or null when it has none
   * @param vlmRefusal why it has none (null when it has one)
   * @param dedupe its caches keyed on encoded image bytes
   */
  record Entry(
      ServedModel model,
      EmbeddingsRequestParser parser,
      ImageAdmission images,
      VlmEncoder vlm,
      String vlmRefusal,
      ImageDedupe dedupe) {}

  private final Map<String, Entry> entries = new LinkedHashMap<>();

  /** The models in the order given; names must be distinct. */
  ServedModels(List<Entry> list) {
    if (list.isEmpty()) {
      throw new IllegalArgumentException("a server needs at least one model");
    }
    for (Entry e : list) {
      if (entries.put(e.model().name(), e) != null) {
        throw new IllegalArgumentException(
            "two models are named '" + e.model().name() + "'; give them distinct names");
      }
    }
  }

  /**
   * The model a request names, or the only one when it names none.
   *
   * @throws ApiException {@link ErrorKind#UNKNOWN_MODEL} (404) for a name not served, {@link
   *     ErrorKind#MALFORMED_REQUEST} (400) for no name while several models are served
   */
  Entry pick(String name) {
    if (name == null) {
      if (entries.size() == 1) {
        return entries.values().iterator().next();
      }
      throw new ApiException(
          ErrorKind.MALFORMED_REQUEST,
          "model: required, this server serves several models: " + names());
    }
    Entry e = entries.get(name);
    if (e == null) {
      throw new ApiException(
          ErrorKind.UNKNOWN_MODEL,
          "model '" + name + "' is not served here; this server serves " + names());
    }
    return e;
  }

  /** Every entry, in order. */
  List<Entry> all() {
    return List.copyOf(entries.values());
  }

  /** The first model given (named by {@code /health}). */
  ServedModel first() {
    return entries.values().iterator().next().model();
  }

  private String names() {
    return entries.keySet().stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
  }
}
