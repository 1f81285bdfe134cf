package dev.vitrail.runtime.cli;

import dev.vitrail.actors.aggregate.ItemResult;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.runtime.api.EncodeRequest;
import dev.vitrail.runtime.model.ServedModel;
import dev.vitrail.runtime.safetensors.SafetensorsFileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import me.tongfei.progressbar.ProgressBar;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vitrail encode}: images in files and folders to one safetensors file, one F32 tensor per
 * image named by its path relative to the folder given. Decoding runs on the preprocessing threads,
 * encoding through the workers with at most {@code stream.max-in-flight-requests} images in flight.
 */
@Command(
    name = "encode",
    mixinStandardHelpOptions = true,
    description = "Encode images (files or folders) into a safetensors file, one tensor per image.",
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.OK, ExitCodes.SOME_FAILED, ExitCodes.USAGE},
    footerHeading = ExitCodes.EXAMPLE,
    footer = "  vitrail encode --model models/clip-tiny --out features.safetensors samples/")
final class EncodeCommand implements Callable<Integer> {
  @Mixin ModelOptions model;
  @Mixin FeatureOptions features;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description =
          "Output safetensors file (default: beside the first PATH, named after it:"
              + " photos/ -> photos.safetensors, cat.png -> cat.safetensors).")
  Path out;

  @Parameters(
      arity = "1..*",
      paramLabel = "PATH",
      description = "Image files or folders (walked recursively).")
  List<Path> paths;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  /** One image's outcome: its features or why it has none. */
  private record Outcome(ImageFile file, FeatureOutput features, String error) {}

  /** One image read and preprocessed, or why not. */
  private record Prepared(ImageFile file, PixelInput pixels, String error) {}

  @Override
  public Integer call() throws Exception {
    List<ImageFile> files = ImageFiles.collect(paths);
    Path target = (out != null ? out : besideInput(paths.get(0))).toAbsolutePath();
    if (!Files.isDirectory(target.getParent())) {
      throw new CliException("output folder does not exist: " + target.getParent());
    }
    FeatureSpec featureSpec = features.spec(model.dir());
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    List<String> failures = new ArrayList<>();
    long start;
    AtomicLong tokens = new AtomicLong();
    AtomicReference<int[]> lastShape = new AtomicReference<>();
    try (ServedModel m = model.open();
        SafetensorsFileWriter writer = SafetensorsFileWriter.create(target)) {
      ExecutorService pool =
          Executors.newFixedThreadPool(m.vitrail().settings().preprocessThreads());
      start = System.nanoTime();
      try (ProgressBar bar = ProgressBars.open("encode", files.size(), "img")) {
        Source.from(files)
            .mapAsync(
                m.vitrail().settings().preprocessThreads(),
                f -> CompletableFuture.supplyAsync(() -> prepare(f, m), pool))
            .mapAsync(
                m.vitrail().settings().streamMaxInFlightRequests(), p -> encode(m, p, featureSpec))
            .runWith(
                Sink.foreach(
                    o -> {
                      if (o.error() == null) {
                        writeTensor(writer, o);
                        int[] shape = o.features().shape();
                        tokens.addAndGet(shape.length >= 2 ? shape[0] : 1);
                        lastShape.set(shape);
                      } else {
                        failures.add(o.file().path() + ": " + o.error());
                      }
                      bar.step();
                    }),
                m.vitrail().system())
            .toCompletableFuture()
            .get();
      } finally {
        pool.shutdown();
      }
      if (writer.size() > 0) {
        writer.finish(Map.of("format", "pt", "model", m.name(), "family", m.config().family()));
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    failures.forEach(f -> stderr.println("failed: " + f));
    int encoded = files.size() - failures.size();
    stdout.printf(
        "encoded %d of %d images in %.2f s (%.1f images/s), %d feature tokens%s%n",
        encoded,
        files.size(),
        seconds,
        encoded / seconds,
        tokens.get(),
        lastShape.get() == null ? "" : ", last shape " + Arrays.toString(lastShape.get()));
    stdout.println(encoded > 0 ? "wrote " + target : "nothing written");
    return failures.isEmpty() ? 0 : Main.SOME_FAILED;
  }

  private static Prepared prepare(ImageFile f, ServedModel m) {
    try {
      return new Prepared(f, m.processor().process(Files.readAllBytes(f.path())), null);
    } catch (IOException e) {
      return new Prepared(f, null, "cannot read: " + e.getMessage());
    } catch (RuntimeException e) {
      return new Prepared(f, null, e.getMessage());
    }
  }

  private static CompletionStage<Outcome> encode(
      ServedModel m, Prepared p, FeatureSpec featureSpec) {
    if (p.error() != null) {
      return CompletableFuture.completedFuture(new Outcome(p.file(), null, p.error()));
    }
    return m.vitrail()
        .encode(EncodeRequest.ofPixels(p.file().name(), List.of(p.pixels()), featureSpec))
        .handle(
            (result, err) -> {
              if (err != null) {
                return new Outcome(
                    p.file(), null, (err.getCause() != null ? err.getCause() : err).getMessage());
              }
              ItemResult item = result.items().get(0);
              return item instanceof ItemResult.Encoded e
                  ? new Outcome(p.file(), e.output(), null)
                  : new Outcome(p.file(), null, ((ItemResult.Failed) item).error());
            });
  }

  private static void writeTensor(SafetensorsFileWriter writer, Outcome o) {
    try {
      writer.add(o.file().name(), o.features().shape(), o.features().values());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write features of " + o.file().path(), e);
    }
  }

  /**
   * The default output: beside {@code input}, named after it ({@code cat.png -> cat.safetensors}).
   */
  static Path besideInput(Path input) {
    Path abs = input.toAbsolutePath().normalize();
    if (abs.getFileName() == null) {
      return abs.resolve("features.safetensors");
    }
    String name = abs.getFileName().toString();
    int dot = name.lastIndexOf('.');
    if (dot > 0 && !Files.isDirectory(abs)) {
      name = name.substring(0, dot);
    }
    return abs.resolveSibling(name + ".safetensors");
  }
}
