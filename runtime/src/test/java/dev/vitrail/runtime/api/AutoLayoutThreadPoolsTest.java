package dev.vitrail.runtime.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.actors.worker.CoreGate;
import dev.vitrail.actors.worker.EncoderFactory;
import dev.vitrail.config.settings.RuntimeSettings;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.runtime.golden.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code vitrail.workers.layout = auto} widens the pool each compute mode's kernels run on, for the
 * wide call only: OpenBLAS's threads for float32 GEMMs, the tower thread's libtorch intra-op
 * threads for int8 (FBGEMM) and bf16 (oneDNN / libtorch). Seen from inside every tower call of the
 * real CLIP-tiny tower: a wide call has that pool at the cores and the other at 1, a single-thread
 * call has both at 1, and the number of widened calls is what the gate counted.
 */
@ExtendWith(LogCapturingExtension.class)
class AutoLayoutThreadPoolsTest {
  private static final Path MODEL = Fixtures.root().resolve("models/clip-tiny");

  /** The pools one tower call ran with: libtorch intra-op (this thread) and OpenBLAS. */
  private record Pools(int torch, int blas) {}

  @ParameterizedTest
  @CsvSource({"f32, false", "int8, true", "bf16, true"})
  void aWideCallWidensTheModesPoolAndOnlyForThatCall(String dtype, boolean widensTorch)
      throws Exception {
    List<PixelInput> images = RandomPixels.of(MODEL, 12, 7);
    RuntimeSettings settings =
        VitrailTestSettings.of(
            "vitrail.workers { layout = auto, cores = 2, batch-limit = 3, compute-dtype = "
                + dtype
                + " }");
    assertEquals(2, settings.workers());
    assertEquals(1, settings.torchThreads());
    assertEquals(1, settings.blasThreads());
    List<Pools> seen = Collections.synchronizedList(new ArrayList<>());
    EncoderFactory towers =
        LibtorchTowers.of(
            MODEL,
            settings.devices(),
            settings.computeDtype(),
            settings.torchThreads(),
            settings.blasThreads());
    try (Vitrail v = Vitrail.start(settings, worker -> probed(towers.open(worker), seen))) {
      for (int i = 0; i < 4; i++) { // one request at a time: the worker is alone with work
        assertEquals(1, encode(v, images.subList(i, i + 1)).get(60, TimeUnit.SECONDS).size());
      }
      List<CompletableFuture<List<FeatureOutput>>> burst = new ArrayList<>();
      for (int r = 0; r < 4; r++) { // both workers hold work: single-thread calls
        burst.add(encode(v, images.subList(3 * r, 3 * r + 3)));
      }
      for (CompletableFuture<List<FeatureOutput>> f : burst) {
        assertEquals(3, f.get(60, TimeUnit.SECONDS).size());
      }
      CoreGate.Counts counts = v.layoutCalls();
      Pools wide = widensTorch ? new Pools(2, 1) : new Pools(1, 2);
      long widened;
      synchronized (seen) {
        assertEquals(counts.wide() + counts.narrow(), seen.size(), "calls seen: " + seen);
        for (Pools p : seen) {
          assertTrue(p.equals(wide) || p.equals(new Pools(1, 1)), dtype + ": " + seen);
        }
        widened = seen.stream().filter(wide::equals).count();
      }
      assertTrue(counts.wide() >= 1, "the first lone call is tried wide: " + counts);
      assertTrue(counts.narrow() >= 1, "single-thread calls: " + counts);
      assertEquals(counts.wide(), widened, dtype + ": widened calls " + seen);
    }
  }

  /** {@code tower}, recording the pools of the calling (tower) thread at each call. */
  private static FeatureEncoder probed(FeatureEncoder tower, List<Pools> seen) {
    return new FeatureEncoder() {
      @Override
      public String family() {
        return tower.family();
      }

      @Override
      public List<FeatureOutput> encode(List<PixelInput> batch, FeatureSpec spec) {
        seen.add(new Pools(torch.get_num_threads(), openblas.blas_get_num_threads()));
        return tower.encode(batch, spec);
      }

      @Override
      public void releaseCachedMemory() {
        tower.releaseCachedMemory();
      }

      @Override
      public void close() {
        tower.close();
      }
    };
  }

  private static CompletableFuture<List<FeatureOutput>> encode(Vitrail v, List<PixelInput> in) {
    return v.encode(EncodeRequest.ofPixels("clip", in, FeatureSpec.defaults()))
        .toCompletableFuture()
        .thenApply(EncodeResult::features);
  }
}
