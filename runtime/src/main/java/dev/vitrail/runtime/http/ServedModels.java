package dev.vitrail.runtime.http;

import dev.vitrail.runtime.dedupe.ImageDedupe;
import dev.vitrail.runtime.model.ServedModel;
import dev.vitrail.runtime.vlm.VlmEncoder;
import java.util.ArrayList;
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
   * The entries of {@code served} for one server: each model's parser and image admission under the
   * server's shared budgets, its VLM tier and its dedupe caches (watched by {@code metrics}).
   */
  static ServedModels open(
      List<ServedModel> served,
      HttpSettings settings,
      AdmissionGate gate,
      DecodePool pool,
      UrlImages urls,
      ServerMetrics metrics) {
    List<Entry> entries = new ArrayList<>();
    for (ServedModel m : served) {
      ImageDedupe dedupe = dedupeOf(m, settings);
      metrics.watch(m.name(), dedupe);
      VlmEncodeHandler.Tier tier = VlmEncodeHandler.tier(m);
      entries.add(
          new Entry(
              m,
              EmbeddingsHandler.parser(m, settings, urls),
              new ImageAdmission(gate, pool, m.processor(), settings.requestTimeout()),
              tier.encoder(),
              tier.refusal(),
              dedupe));
    }
    return new ServedModels(entries);
  }

  /**
   * The model's dedupe caches: those its embedded API already uses when they have the server's
   * settings (so the server and the embedded API share one cache per model), else new ones.
   */
  private static ImageDedupe dedupeOf(ServedModel m, HttpSettings settings) {
    ImageDedupe own = m.vitrail().dedupe();
    if (own != null && own.settings().equals(settings.dedupe())) {
      return own;
    }
    return new ImageDedupe(
        settings.dedupe(),
        ServedModel.dedupeIdentity(m.dir(), m.vitrail().settings(), m.processor()));
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
