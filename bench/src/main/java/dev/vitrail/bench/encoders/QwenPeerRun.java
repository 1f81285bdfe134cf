package dev.vitrail.bench.encoders;

import com.sun.management.OperatingSystemMXBean;
import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.Qwen25VisionConfig;
import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.tensor.NativeTorch;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Vitrail's side of {@code bench/qwen_peer_parity.py}: the Qwen2.5-VL tower opened from the
 * directory that script prepared (HF's random weights, float32 safetensors) runs its preprocessed
 * pixels of one square image; prints process CPU seconds per forward and writes the merged
 * embeddings as raw little-endian float32, for the script's {@code compare}.
 *
 * <p>Usage: {@code QwenPeerRun --dir DIR --size 448 [--dtype f32|bf16] [--iters 2] [--threads 1]
 * [--blas-threads N] [--blas openblas]} (reads {@code DIR/pixels-SIZE.f32}, writes {@code
 * DIR/vitrail-DTYPE-SIZE.f32}; {@code --threads} sets libtorch's threads, and the BLAS's too unless
 * {@code --blas-threads} is given).
 */
public final class QwenPeerRun {
  private static final OperatingSystemMXBean CPU =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private QwenPeerRun() {}

  public static void main(String[] args) throws IOException {
    Path dir = null;
    int size = 448;
    String dtype = "f32";
    int iters = 2;
    int threads = 1;
    int blasThreads = -1;
    String blas = "openblas";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--dir" -> dir = Path.of(args[++i]);
        case "--size" -> size = Integer.parseInt(args[++i]);
        case "--dtype" -> dtype = args[++i];
        case "--iters" -> iters = Integer.parseInt(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--blas-threads" -> blasThreads = Integer.parseInt(args[++i]);
        case "--blas" -> blas = args[++i];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (dir == null || iters < 1) {
      throw new IllegalArgumentException("--dir DIR is required, --iters at least 1");
    }
    NativeTorch.selectBlas(blas);
    if (blasThreads < 0) {
      blasThreads = threads;
    }
    NativeTorch.configureThreads(threads, blasThreads);
    Qwen25VisionConfig c =
        (Qwen25VisionConfig) HfConfigs.parse(Files.readString(dir.resolve("config.json")));
    int g = size / c.patchSize();
    int[] grid = {1, g, g};
    int width = c.patchRowWidth();
    float[] pixels = readFloats(dir.resolve("pixels-" + size + ".f32"));
    if (pixels.length != g * g * width) {
      throw new IllegalArgumentException(
          "pixels-" + size + ".f32 holds " + pixels.length + " values, want " + g * g * width);
    }
    List<PixelInput> image = List.of(new PixelInput(pixels, new int[] {g * g, width}, grid));
    double[] cpuS = new double[iters];
    double[] wallS = new double[iters];
    FeatureOutput out = null;
    try (FeatureEncoder enc = FeatureEncoders.open(dir, new EncoderOptions("cpu", dtype, null))) {
      for (int i = 0; i < iters; i++) {
        long c0 = CPU.getProcessCpuTime();
        long t0 = System.nanoTime();
        out = enc.encode(image, FeatureSpec.defaults()).get(0);
        cpuS[i] = (CPU.getProcessCpuTime() - c0) / 1e9;
        wallS[i] = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
            Locale.ROOT,
            "  vitrail-%s size=%d cpu_s=%.1f wall_s=%.1f%n",
            dtype,
            size,
            cpuS[i],
            wallS[i]);
      }
      ResidentMemory rss = ResidentMemory.now();
      System.out.printf(
          Locale.ROOT,
          "vitrail-%s size=%d grid=1x%dx%d tokens=%s cpu_s_per_image=%.1f (runs %s) wall_s=%.1f"
              + " threads=torch%d/blas%d blas=%s rss_gib=%.2f (anon %.2f, file %.2f)%n",
          dtype,
          size,
          g,
          g,
          Arrays.toString(out.shape()),
          median(cpuS),
          Arrays.toString(cpuS),
          median(wallS),
          threads,
          blasThreads,
          NativeTorch.blas().settingName(),
          (rss.anonBytes() + rss.fileBytes()) / 1073741824.0,
          rss.anonBytes() / 1073741824.0,
          rss.fileBytes() / 1073741824.0);
    }
    writeFloats(dir.resolve("vitrail-" + dtype + "-" + size + ".f32"), out.values());
  }

  /** The median as Python's {@code statistics.median}: the mean of the middle two for even n. */
  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  private static float[] readFloats(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    float[] v = new float[b.remaining() / Float.BYTES];
    b.asFloatBuffer().get(v);
    return v;
  }

  private static void writeFloats(Path file, float[] v) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      while (b.hasRemaining()) {
        ch.write(b);
      }
    }
  }
}
