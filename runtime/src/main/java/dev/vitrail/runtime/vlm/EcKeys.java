package dev.vitrail.runtime.vlm;

import dev.vitrail.encoders.preprocess.Normalization;
import dev.vitrail.encoders.preprocess.PixtralSettings;
import dev.vitrail.encoders.preprocess.Qwen2VlSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Encoder-cache keys: SHA-256 (hex, 64 characters, never a {@code /}) of the encoded image bytes,
 * the model identity, the processor settings and the dtype. The same image under the same model and
 * settings always gets the same key, so a key that already has a file needs no encoding; any change
 * of weights, config or smart_resize bounds gives new keys.
 */
public final class EcKeys {
  private static final int MAX_HEADER = 100 << 20;

  private EcKeys() {}

  /**
   * The identity of a model directory: {@code config.json} and, for every {@code *.safetensors}
   * file, its name, size and header (tensor names, dtypes, shapes, offsets).
   */
  public static String modelIdentity(Path modelDir) {
    MessageDigest md = sha256();
    try {
      md.update(Files.readAllBytes(modelDir.resolve("config.json")));
      List<Path> files;
      try (Stream<Path> s = Files.list(modelDir)) {
        files =
            s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
      }
      for (Path f : files) {
        md.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
        md.update(Long.toString(Files.size(f)).getBytes(StandardCharsets.UTF_8));
        md.update(header(f));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the model identity of " + modelDir, e);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** Every setting of the Qwen2-VL processor that changes pixels or the grid. */
  public static String processorIdentity(Qwen2VlSettings s) {
    var n = s.normalization();
    return "qwen2_vl patch="
        + s.patchSize()
        + " merge="
        + s.mergeSize()
        + " temporal="
        + s.temporalPatchSize()
        + " min_pixels="
        + s.minPixels()
        + " max_pixels="
        + s.maxPixels()
        + " resample="
        + s.filter()
        + " rescale="
        + n.doRescale()
        + ":"
        + n.rescaleFactor()
        + " normalize="
        + n.doNormalize()
        + ":"
        + Arrays.toString(n.mean())
        + Arrays.toString(n.std());
  }

  /** Every setting of the Pixtral processor that changes pixels or the grid. */
  public static String processorIdentity(PixtralSettings s) {
    return "pixtral longest_edge="
        + s.longestEdge()
        + " patch="
        + s.patchHeight()
        + "x"
        + s.patchWidth()
        + " resample="
        + s.filter()
        + normalization(s.normalization());
  }

  private static String normalization(Normalization n) {
    return " rescale="
        + n.doRescale()
        + ":"
        + n.rescaleFactor()
        + " normalize="
        + n.doNormalize()
        + ":"
        + Arrays.toString(n.mean())
        + Arrays.toString(n.std());
  }

  /** The key of one encoded image. */
  public static String key(byte[] image, String modelIdentity, String processor, EcDtype dtype) {
    MessageDigest md = sha256();
    md.update("vitrail-ec-v1\n".getBytes(StandardCharsets.UTF_8));
    md.update(
        (modelIdentity + "\n" + processor + "\n" + dtype.label() + "\n")
            .getBytes(StandardCharsets.UTF_8));
    md.update(sha256().digest(image));
    return HexFormat.of().formatHex(md.digest());
  }

  private static byte[] header(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file)) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      while (len.hasRemaining() && ch.read(len) >= 0) {}
      if (len.hasRemaining()) {
        throw new IOException(file + " is shorter than a safetensors header");
      }
      long n = len.flip().getLong();
      if (n < 0 || n > MAX_HEADER) {
        throw new IOException(file + " has an implausible safetensors header length " + n);
      }
      ByteBuffer h = ByteBuffer.allocate((int) n);
      while (h.hasRemaining() && ch.read(h) >= 0) {}
      return h.array();
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
