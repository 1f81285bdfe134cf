package dev.vitrail.runtime.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrail.runtime.model.ServedModel;
import dev.vitrail.runtime.vlm.EcDtype;
import dev.vitrail.runtime.vlm.InlineFormat;
import dev.vitrail.runtime.vlm.VlmEncoder;
import dev.vitrail.runtime.vlm.VlmMetrics;
import dev.vitrail.runtime.vlm.VlmOutput;
import dev.vitrail.runtime.vlm.VlmResult;
import dev.vitrail.runtime.vlm.VlmSettings;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vitrail ec}: the encoder tier offline. Each image's language-model-ready embeddings
 * (Qwen2.5-VL / Qwen3-VL merger output, LLaVA/Pixtral and Kimi K2.5 projector output) go to {@code
 * DIR/<key>/encoder_cache.safetensors} (vLLM's {@code ECExampleConnector} layout) and/or to inline
 * {@code image_embeds} content parts; standard output gets one JSON line per image (path, uuid,
 * grid, token count, file); {@code --metrics FILE} gets the run's counters as Prometheus text.
 */
@Command(
    name = "ec",
    mixinStandardHelpOptions = true,
    description =
        "Write vLLM encoder-cache files (and/or inline image_embeds) for images: Qwen2.5-VL,"
            + " Qwen3-VL, LLaVA/Pixtral, Kimi K2.5.",
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.OK, ExitCodes.SOME_FAILED, ExitCodes.USAGE},
    footerHeading = ExitCodes.EXAMPLE,
    footer = {
      "  vitrail ec --model ~/models/Qwen2.5-VL-7B-Instruct \\",
      "      --out /shared/ec --ec-dtype bf16 photos/"
    })
final class EcCommand implements Callable<Integer> {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Mixin ModelOptions model;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Encoder-cache directory (default: ${bundle:vitrail.vlm.ec-storage:-?}, vitrail.vlm.ec-storage).")
  Path out;

  @Option(
      names = "--ec-dtype",
      paramLabel = "DTYPE",
      description =
          "dtype written: bf16, f16 or f32 (default: ${bundle:vitrail.vlm.dtype:-?}, vitrail.vlm.dtype).")
  String ecDtype;

  @Option(
      names = "--inline",
      paramLabel = "FILE",
      description =
          "Also write each image's inline image_embeds content part, one JSON line each"
              + " (default: none).")
  Path inline;

  @Option(
      names = "--inline-format",
      paramLabel = "FORMAT",
      description =
          "Inline tensors as torch (torch.save, every vLLM; default) or npy (.npy, newer vLLM;"
              + " f16/f32 only).")
  String inlineFormat;

  @Option(
      names = "--metrics",
      paramLabel = "FILE",
      description =
          "Write the run's counters (images, tokens and bytes written, cache hits, evictions,"
              + " errors by kind) as Prometheus text, e.g. for node_exporter's textfile collector"
              + " (default: none).")
  Path metrics;

  @Parameters(paramLabel = "PATH", arity = "1..*", description = "Image files or folders.")
  List<Path> paths;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    List<ImageFile> files = ImageFiles.collect(paths);
    VlmSettings settings = VlmSettings.load();
    if (out != null) {
      settings = settings.withEcStorage(out);
    }
    if (ecDtype != null) {
      try {
        settings = settings.withDtype(EcDtype.of(ecDtype));
      } catch (IllegalArgumentException e) {
        throw new CliException("--ec-dtype: " + e.getMessage());
      }
    }
    VlmOutput output;
    if (settings.ecStorage() == null && inline == null) {
      throw new CliException("give --out DIR (or vitrail.vlm.ec-storage), --inline FILE, or both");
    }
    output =
        settings.ecStorage() == null
            ? VlmOutput.INLINE
            : inline == null ? VlmOutput.EC : VlmOutput.BOTH;
    InlineFormat format;
    try {
      format = inlineFormat == null ? InlineFormat.TORCH : InlineFormat.of(inlineFormat);
      if (output.inline()) {
        format.check(settings.dtype());
      }
    } catch (IllegalArgumentException e) {
      throw new CliException("--inline-format: " + e.getMessage());
    }
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    List<String> failures = new ArrayList<>();
    ExecutorService io = Executors.newSingleThreadExecutor();
    try {
      try (ServedModel m = model.open();
          BufferedWriter parts = inline == null ? null : Files.newBufferedWriter(inline)) {
        VlmEncoder encoder;
        try {
          encoder = VlmEncoder.open(m, settings);
        } catch (RuntimeException e) {
          throw new CliException(e.getMessage());
        }
        for (ImageFile f : files) {
          encoder.metrics().request();
          try {
            VlmEncoder.Prepared p =
                encoder.prepare(Files.readAllBytes(f.path()), settings.dtype(), output, format);
            encoder.checkInline(List.of(p), output);
            VlmResult r =
                encoder
                    .encode(List.of(p), output, io)
                    .toCompletableFuture()
                    .get(10, TimeUnit.MINUTES)
                    .get(0);
            stdout.println(line(f, r));
            if (parts != null) {
              ObjectNode part = r.contentPart();
              parts.write(part.toString());
              parts.newLine();
            }
          } catch (Exception e) {
            Throwable cause =
                e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                    ? e.getCause()
                    : e;
            encoder.metrics().error(VlmMetrics.kindOf(cause));
            failures.add(f.name());
            stderr.println("failed: " + f.name() + ": " + cause.getMessage());
          }
        }
        if (metrics != null) {
          Files.writeString(metrics, encoder.metricsText());
        }
      }
    } finally {
      io.shutdown();
    }
    stderr.printf("%d of %d images written%n", files.size() - failures.size(), files.size());
    return failures.isEmpty() ? 0 : Main.SOME_FAILED;
  }

  private static String line(ImageFile f, VlmResult r) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("path", f.name());
    r.describe(n);
    return n.toString();
  }
}
