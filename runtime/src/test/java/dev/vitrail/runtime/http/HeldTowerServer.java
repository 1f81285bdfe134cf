package dev.vitrail.runtime.http;

import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.settings.RuntimeSettings;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.preprocess.ImageProcessors;
import dev.vitrail.runtime.api.Vitrail;
import dev.vitrail.runtime.model.ServedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A serving process for the forked tests: the CLIP-tiny config and processor with a tower that
 * holds every batch while the file {@code args[1]} exists (then answers a 1x2 feature), the {@code
 * vitrail.*} settings from system properties, and the same SIGTERM handling as {@code vitrail
 * serve}. Prints {@code PORT <n>} once it listens. With a third argument, start-up prints {@code
 * STARTING} once the workers run and waits while that file exists before it goes on (a signal then
 * arrives during start-up).
 */
public final class HeldTowerServer {
  private HeldTowerServer() {}

  public static void main(String[] args) throws Exception {
    Path modelDir = Path.of(args[0]);
    Path hold = Path.of(args[1]);
    GracefulShutdown.Startup signals = GracefulShutdown.early(System::exit);
    FeatureEncoder held =
        new FeatureEncoder() {
          @Override
          public String family() {
            return "clip";
          }

          @Override
          public List<FeatureOutput> encode(List<PixelInput> batch, FeatureSpec spec) {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (Files.exists(hold) && System.nanoTime() < deadline) {
              try {
                Thread.sleep(5);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
              }
            }
            return batch.stream()
                .map(p -> new FeatureOutput(new float[] {1, 2}, new int[] {1, 2}))
                .toList();
          }

          @Override
          public void close() {}
        };
    Vitrail vitrail = Vitrail.start(RuntimeSettings.load(), worker -> held);
    if (args.length > 2) {
      System.out.println("STARTING");
      System.out.flush();
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (Files.exists(Path.of(args[2])) && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    }
    if (signals.requested()) {
      System.exit(signals.stopDuringStartup(vitrail));
    }
    ServedModel model =
        new ServedModel(
            "tiny",
            modelDir,
            HfConfigs.read(modelDir),
            ImageProcessors.forModel(modelDir),
            vitrail);
    EmbeddingServer server =
        EmbeddingServer.start(model, HttpSettings.load().withAddress("127.0.0.1", 0));
    signals.serving(server, model);
    System.out.println("PORT " + server.address().getPort());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
