package dev.vitrail.runtime.api;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.vitrail.actors.balance.CostModel;
import dev.vitrail.actors.supervisor.Supervisor;
import dev.vitrail.actors.supervisor.SupervisorSettings;
import dev.vitrail.actors.supervisor.SupervisorStats;
import dev.vitrail.actors.worker.CoreGate;
import dev.vitrail.actors.worker.EncoderFactory;
import dev.vitrail.config.settings.RuntimeSettings;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.runtime.dedupe.ImageDedupe;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.stream.javadsl.Flow;

/**
 * Vitrail embedded in an application: a supervisor and its encoder workers in a local actor system.
 * Thread-safe; {@link #close()} finishes the work in flight, then stops.
 */
public final class Vitrail implements AutoCloseable {
  private final RuntimeSettings settings;
  private final ActorSystem<Supervisor.Command> system;
  private final RequestPixels pixels;
  private final Duration askTimeout;
  private final CoreGate gate;
  private final ImageDedupe dedupe;

  private Vitrail(
      RuntimeSettings settings,
      EncoderFactory towers,
      Function<byte[], PixelInput> preprocessor,
      CostModel costModel,
      Config config,
      String fingerprint,
      ImageDedupe dedupe) {
    this.settings = settings;
    this.dedupe = dedupe;
    Function<byte[], PixelInput> decode =
        dedupe == null || preprocessor == null
            ? preprocessor
            : dedupe.pixels(PIXELS_LABEL, preprocessor);
    SupervisorSettings mapped = SupervisorSettingsMapping.map(settings);
    this.gate = mapped.worker().gate();
    SupervisorSettings supervised = costModel == null ? mapped : mapped.withCostModel(costModel);
    // With vitrail.cluster.enabled the system is the cluster's supervisor node (ClusterBoot).
    this.system = SupervisorSystem.start(settings, supervised, towers, config, fingerprint);
    this.pixels = new RequestPixels(decode, settings.preprocessThreads());
    // The supervisor answers every request itself; this only guards against a lost actor system.
    this.askTimeout = settings.requestIdleTimeout().multipliedBy(2).plus(settings.callTimeout());
  }

  /** Starts with ready-pixel inputs only; {@code towers} opens one tower per worker. */
  public static Vitrail start(RuntimeSettings settings, EncoderFactory towers) {
    return new Vitrail(settings, towers, null, null, ConfigFactory.load(), "", null);
  }

  /** Starts with a preprocessor turning encoded image bytes into pixels. */
  public static Vitrail start(
      RuntimeSettings settings, EncoderFactory towers, Function<byte[], PixelInput> preprocessor) {
    return new Vitrail(settings, towers, preprocessor, null, ConfigFactory.load(), "", null);
  }

  /**
   * Starts with a preprocessor (or null) and a cost model that replaces {@code
   * vitrail.balance.cost-model}, e.g. one from {@link CostCalibration}.
   */
  public static Vitrail start(
      RuntimeSettings settings,
      EncoderFactory towers,
      Function<byte[], PixelInput> preprocessor,
      CostModel costModel) {
    return new Vitrail(settings, towers, preprocessor, costModel, ConfigFactory.load(), "", null);
  }

  /**
   * Starts with a preprocessor (or null); with {@code vitrail.cluster.enabled} in {@code settings}
   * the actor system is the supervisor node of the cluster {@code config}'s {@code vitrail.cluster}
   * block describes, using only remote workers of model {@code fingerprint} (see {@code
   * ModelFingerprint}).
   */
  public static Vitrail start(
      RuntimeSettings settings,
      EncoderFactory towers,
      Function<byte[], PixelInput> preprocessor,
      Config config,
      String fingerprint) {
    return new Vitrail(settings, towers, preprocessor, null, config, fingerprint, null);
  }

  /**
   * As {@link #start(RuntimeSettings, EncoderFactory, Function, Config, String)}, with dedupe
   * before decode: a request of encoded images (and no gather layout) is looked up image by image
   * in {@code dedupe} by the image's bytes and feature options before anything is decoded, and only
   * the rest are decoded (through its decoded-pixel cache) and encoded. Requests with ready pixels
   * do not use it.
   */
  public static Vitrail start(
      RuntimeSettings settings,
      EncoderFactory towers,
      Function<byte[], PixelInput> preprocessor,
      Config config,
      String fingerprint,
      ImageDedupe dedupe) {
    return new Vitrail(settings, towers, preprocessor, null, config, fingerprint, dedupe);
  }

  /**
   * What the decoded-pixel cache calls the model's own preprocessing (the HTTP server's {@code
   * /v1/embeddings} uses the same name, so a shared cache is shared for pixels too).
   */
  public static final String PIXELS_LABEL = "embeddings";

  /** The dedupe caches encoded-image requests go through, or null for none. */
  public ImageDedupe dedupe() {
    return dedupe;
  }

  /**
   * Tower calls run so far on every core and on one core by the local workers of {@code
   * vitrail.workers.layout = auto} (both 0 for other layouts).
   */
  public CoreGate.Counts layoutCalls() {
    return gate.counts();
  }

  /** The settings this instance runs with. */
  public RuntimeSettings settings() {
    return settings;
  }

  /**
   * Encodes one request. The stage completes with one result per input, or fails with {@link
   * RejectedException} (busy or shutting down) or with the preprocessor's error. Completing the
   * returned future first (cancel, or a timeout through {@code orTimeout}) gives the request up:
   * its items not yet encoded are dropped and their workers' credit returned.
   */
  public CompletableFuture<EncodeResult> encode(EncodeRequest request) {
    if (DedupedEncode.applies(dedupe, request)) {
      return DedupedEncode.run(dedupe, request, this::encodeAll);
    }
    return encodeAll(request);
  }

  private CompletableFuture<EncodeResult> encodeAll(EncodeRequest request) {
    return SupervisorAsk.encode(system, askTimeout, pixels, request);
  }

  /**
   * An ordered flow: results in request order, at most {@code stream.max-in-flight-requests} in
   * flight.
   */
  public Flow<EncodeRequest, EncodeResult, NotUsed> flow() {
    return EncodeFlow.ordered(this);
  }

  /** An unordered flow: results as they complete, same in-flight bound. */
  public Flow<EncodeRequest, EncodeResult, NotUsed> unorderedFlow() {
    return EncodeFlow.unordered(this);
  }

  /** The supervisor's counters (in flight, per-worker completions, retries, cache). */
  public CompletionStage<SupervisorStats> stats() {
    return AskPattern.ask(
        system, Supervisor.GetStats::new, Duration.ofSeconds(10), system.scheduler());
  }

  /** The actor system Vitrail runs in (for materializing flows). */
  public ActorSystem<?> system() {
    return system;
  }

  /** Finishes the work in flight, stops the workers (closing their towers), and stops. */
  @Override
  public void close() {
    AskPattern.ask(system, Supervisor.Drain::new, askTimeout, system.scheduler());
    try {
      system
          .getWhenTerminated()
          .toCompletableFuture()
          .get(askTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      system.terminate();
    } finally {
      pixels.shutdown();
    }
  }
}
