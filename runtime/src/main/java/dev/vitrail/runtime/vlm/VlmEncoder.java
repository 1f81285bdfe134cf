package dev.vitrail.runtime.vlm;

import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.runtime.api.EncodeRequest;
import dev.vitrail.runtime.api.EncodeResult;
import dev.vitrail.runtime.model.ServedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The encoder tier over a served VLM ({@link VlmFamily}): per image, the consumer's grid and token
 * count, the key, the language-model-ready embeddings (Qwen: the merger output, plus deepstack for
 * Qwen3-VL; LLaVA/Pixtral and Kimi K2.5: the projector output) and then an encoder-cache file
 * and/or an inline content part. An image whose file already exists is not encoded again.
 * Thread-safe.
 */
public final class VlmEncoder {
  private final ServedModel model;
  private final VlmFamily family;
  private final EcStore store;
  private final VlmSettings settings;
  private final AtomicLong ids = new AtomicLong();
  private final VlmMetrics metrics = new VlmMetrics();
  private final ImagePreparer preparer;
  private final ResultBuilder results;

  private VlmEncoder(ServedModel model, VlmSettings settings, VlmFamily family) {
    this.model = model;
    this.settings = settings;
    this.family = family;
    this.store = settings.ecStorage() == null ? null : EcStore.open(settings.ecStorage(), settings);
    this.preparer = new ImagePreparer(family, EcKeys.modelIdentity(model.dir()), store);
    this.results = new ResultBuilder(family, store, metrics);
  }

  /**
   * The encoder tier of {@code model} with {@code settings}.
   *
   * @throws IllegalArgumentException for a family the tier does not serve ({@link
   *     VlmFamily#SERVED})
   * @throws EcStorageException when the EC directory cannot be used
   */
  public static VlmEncoder open(ServedModel model, VlmSettings settings) {
    return new VlmEncoder(model, settings, VlmFamily.of(model, settings));
  }

  /** The tier's counters. */
  public VlmMetrics metrics() {
    return metrics;
  }

  /** The tier's counters as Prometheus text (with the EC directory's evictions). */
  public String metricsText() {
    return metrics.render(store);
  }

  /** The family's view (processor, plan, width, inline form). */
  public VlmFamily family() {
    return family;
  }

  /** The settings. */
  public VlmSettings settings() {
    return settings;
  }

  /** The encoder-cache directory, or null when only inline payloads are made. */
  public EcStore store() {
    return store;
  }

  /**
   * One image planned and keyed. {@code cached}: its file already exists and it needs no encoding.
   * {@code pixels} is its tower input when {@link #prepare} decoded it, null when it is cached or
   * was only {@link #plan}ned from its header.
   */
  public record Prepared(
      String key,
      ConsumerGrid.Plan plan,
      PixelInput pixels,
      EcDtype dtype,
      InlineFormat format,
      boolean cached) {
    /** A prepared image that is cached exactly when it has no pixels. */
    public Prepared(
        String key, ConsumerGrid.Plan plan, PixelInput pixels, EcDtype dtype, InlineFormat format) {
      this(key, plan, pixels, dtype, format, pixels == null);
    }
  }

  /**
   * Decodes and preprocesses one image (CPU work, on the caller's thread).
   *
   * @throws dev.vitrail.encoders.preprocess.InvalidImageException for a bad image
   * @throws EcLimitException when the consumer would refuse its grid
   */
  public Prepared prepare(byte[] image, EcDtype dtype, VlmOutput output) {
    return prepare(image, dtype, output, InlineFormat.TORCH);
  }

  /**
   * As {@link #prepare(byte[], EcDtype, VlmOutput)}, inline parts serialized in {@code format}.
   *
   * @throws IllegalArgumentException for a format that cannot hold {@code dtype}
   */
  public Prepared prepare(byte[] image, EcDtype dtype, VlmOutput output, InlineFormat format) {
    return preparer.prepare(image, dtype, output, format);
  }

  /**
   * Plans and keys one image from its header only (nothing is decoded): its pixels come later from
   * {@link #pixels}, e.g. only for images the dedupe cache does not answer.
   *
   * @throws dev.vitrail.encoders.preprocess.InvalidImageException for a bad image header
   * @throws EcLimitException when the consumer would refuse its grid
   */
  public Prepared plan(byte[] image, EcDtype dtype, VlmOutput output, InlineFormat format) {
    return preparer.plan(image, dtype, output, format);
  }

  /** The tower input of one image: decoded and preprocessed (CPU work, on the caller's thread). */
  public PixelInput pixels(byte[] image) {
    return preparer.pixels(image);
  }

  /**
   * What the dedupe caches key this tier's features by, beside the image bytes and the model: its
   * processor and feature options (so they never collide with {@code /v1/embeddings} features).
   */
  public String dedupeOptions() {
    return "vlm|" + family.processorIdentity() + "|" + family.spec();
  }

  /**
   * The features of ready tower inputs, as one request of this tier's options, in order. Completing
   * the returned future first (cancel, or a timeout through {@code orTimeout}) gives the request up
   * (see {@link dev.vitrail.runtime.api.Vitrail#encode}).
   */
  public CompletionStage<List<FeatureOutput>> encode(List<PixelInput> pixels) {
    CompletableFuture<EncodeResult> work =
        model
            .vitrail()
            .encode(EncodeRequest.ofPixels("vlm-" + ids.incrementAndGet(), pixels, family.spec()));
    CompletableFuture<List<FeatureOutput>> features = work.thenApply(r -> r.features());
    features.whenComplete(
        (f, err) -> {
          if (err != null) {
            work.completeExceptionally(err); // the caller gave up first: so does the request
          }
        });
    return features;
  }

  /**
   * Refuses a request whose inline payloads would exceed {@code vitrail.vlm.max-inline-bytes}
   * (base64 characters, estimated from the rows, width and dtype before anything is encoded).
   *
   * @throws EcLimitException when over the bound
   */
  public void checkInline(List<Prepared> items, VlmOutput output) {
    if (output.inline()) {
      InlineBudget.check(items, family.hidden(), settings.maxInlineBytes());
    }
  }

  /**
   * Encodes the prepared images that need it as one request, then writes files / builds content
   * parts on {@code io}; results in input order.
   */
  public CompletionStage<List<VlmResult>> encode(
      List<Prepared> items, VlmOutput output, Executor io) {
    return features(items).thenApplyAsync(f -> finish(items, f, output), io);
  }

  /** The features of the prepared images that have no file yet, as one request, in order. */
  public CompletionStage<List<FeatureOutput>> features(List<Prepared> items) {
    List<PixelInput> pixels = new ArrayList<>();
    for (Prepared p : items) {
      if (!p.cached()) {
        pixels.add(p.pixels());
      }
    }
    return pixels.isEmpty() ? CompletableFuture.completedFuture(List.of()) : encode(pixels);
  }

  /**
   * Writes the files and/or builds the content parts of {@code items} from the {@link #features} of
   * those without a file (blocking I/O: run it off the actor threads); results in input order.
   */
  public List<VlmResult> finish(List<Prepared> items, List<FeatureOutput> features, VlmOutput out) {
    return results.finish(items, features, out);
  }
}
