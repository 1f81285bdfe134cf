package dev.vitrail.runtime.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vitrail.config.settings.RuntimeSettings;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.tensor.DevicePlacement;
import dev.vitrail.runtime.api.EncodeRequest;
import dev.vitrail.runtime.api.EncodeResult;
import dev.vitrail.runtime.api.LibtorchTowers;
import dev.vitrail.runtime.api.Vitrail;
import dev.vitrail.runtime.golden.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.Test;

/** The code quoted in README-embedding.md; it must keep compiling and running. */
class EmbeddingExampleTest {
  @Test
  void embedVitrail() throws Exception {
    Path modelDir = Fixtures.root().resolve("models/clip-tiny");
    PixelInput image = new PixelInput(new float[3 * 32 * 32], new int[] {3, 32, 32}, null);

    // --- begin README example ---
    RuntimeSettings settings = // reference.conf < application.conf < env; devices = auto: every
        DevicePlacement.place(RuntimeSettings.load()); // CUDA device, else CPU workers
    try (Vitrail vitrail =
        Vitrail.start(
            settings,
            LibtorchTowers.of(
                modelDir,
                settings.devices(),
                settings.computeDtype(),
                settings.torchThreads(),
                settings.blasThreads()))) {
      // One request: features per image, in input order.
      EncodeResult one =
          vitrail
              .encode(
                  EncodeRequest.ofPixels("req-1", List.of(image, image), FeatureSpec.defaults()))
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      List<FeatureOutput> features = one.features(); // throws if an input failed

      // A stream: demand reaches the source, at most stream.max-in-flight-requests in flight.
      long encoded =
          Source.range(1, 100)
              .map(
                  i -> EncodeRequest.ofPixels("frame-" + i, List.of(image), FeatureSpec.defaults()))
              .via(vitrail.flow())
              .runWith(Sink.fold(0L, (n, result) -> n + result.features().size()), vitrail.system())
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
      // --- end README example ---
      assertEquals(2, features.size());
      assertEquals(100, encoded);
    }
  }
}
