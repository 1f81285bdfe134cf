package dev.vitrail.runtime.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.config.settings.RuntimeSettings;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.preprocess.ImageProcessors;
import dev.vitrail.encoders.tensor.DevicePlacement;
import dev.vitrail.runtime.api.EncodeRequest;
import dev.vitrail.runtime.api.EncodeResult;
import dev.vitrail.runtime.api.LibtorchTowers;
import dev.vitrail.runtime.api.Vitrail;
import dev.vitrail.runtime.golden.Fixtures;
import dev.vitrail.runtime.http.EmbeddingServer;
import dev.vitrail.runtime.http.HttpSettings;
import dev.vitrail.runtime.http.TestImages;
import dev.vitrail.runtime.model.ServedModel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The code quoted in docs/embedding.md and README.md (between the {@code begin docs example}
 * markers; {@code DocsExamplesTest} checks the pages quote it); it must keep compiling and running.
 * The image comes from the model's own processor, so any fixture set's clip-tiny works.
 */
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class EmbeddingExampleTest {
  @Test
  void embedVitrail() throws Exception {
    Path modelDir = Fixtures.root().resolve("models/clip-tiny");
    PixelInput image =
        ImageProcessors.forModel(modelDir).process(TestImages.png(40, 30, 7)); // [3, H, W]

    // --- begin docs example: embedding ---
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
      // --- end docs example ---
      assertEquals(2, features.size());
      assertEquals(100, encoded);
    }
  }

  @Test
  void embedVitrailShort() throws Exception {
    Path modelDir = Fixtures.root().resolve("models/clip-tiny");
    PixelInput image = ImageProcessors.forModel(modelDir).process(TestImages.png(40, 30, 7));
    RuntimeSettings settings = DevicePlacement.place(RuntimeSettings.load());
    // --- begin docs example: readme ---
    try (Vitrail vitrail =
        Vitrail.start(
            settings,
            LibtorchTowers.of(
                modelDir,
                settings.devices(),
                settings.computeDtype(),
                settings.torchThreads(),
                settings.blasThreads()))) {
      EncodeResult one =
          vitrail
              .encode(EncodeRequest.ofPixels("req-1", List.of(image), FeatureSpec.defaults()))
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      // --- end docs example ---
      assertEquals(1, one.features().size());
    }
  }

  @Test
  void embedTheServer() throws Exception {
    Path modelDir = Fixtures.root().resolve("models/clip-tiny");
    // --- begin docs example: server ---
    try (ServedModel model = ServedModel.open(modelDir, null, RuntimeSettings.load());
        EmbeddingServer server =
            EmbeddingServer.start(model, HttpSettings.load().withAddress("127.0.0.1", 0))) {
      System.out.println("listening on " + server.address());
      // --- end docs example ---
      assertTrue(server.address().getPort() > 0);
    }
  }
}
