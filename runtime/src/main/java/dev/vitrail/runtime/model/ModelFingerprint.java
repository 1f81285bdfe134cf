package dev.vitrail.runtime.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The identity of a served model across cluster nodes: SHA-256 over {@code config.json}, {@code
 * preprocessor_config.json} (if present), the compute dtype, and every {@code *.safetensors} file
 * (name, size and content). Files up to {@link #WHOLE_FILE_BYTES} are hashed whole; larger ones by
 * their JSON header plus {@link #SAMPLES} evenly spread {@link #SAMPLE_BYTES}-byte blocks (any
 * retrained or re-exported checkpoint differs in them), so a multi-GiB model costs milliseconds.
 * The first 16 hex digits name the model in the receptionist key.
 */
public final class ModelFingerprint {
  /** Files up to this size are hashed whole. */
  public static final long WHOLE_FILE_BYTES = 64L << 20;

  /** Sampled blocks per larger file. */
  public static final int SAMPLES = 256;

  /** Bytes per sampled block. */
  public static final int SAMPLE_BYTES = 64 << 10;

  private ModelFingerprint() {}

  /** 16 hex digits identifying the model in {@code dir} computed with {@code dtype}. */
  public static String of(Path dir, String dtype) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(("dtype=" + dtype + "\n").getBytes(StandardCharsets.UTF_8));
      for (String name : List.of("config.json", "preprocessor_config.json")) {
        Path p = dir.resolve(name);
        if (Files.isRegularFile(p)) {
          sha.update((name + "\n").getBytes(StandardCharsets.UTF_8));
          sha.update(Files.readAllBytes(p));
        }
      }
      List<Path> weights;
      try (Stream<Path> files = Files.list(dir)) {
        weights =
            files
                .filter(p -> p.getFileName().toString().endsWith(".safetensors"))
                .sorted()
                .toList();
      }
      for (Path p : weights) {
        weightsInto(sha, p);
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot fingerprint the model at " + dir, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void weightsInto(MessageDigest sha, Path p) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      long size = ch.size();
      sha.update((p.getFileName() + "\n" + size + "\n").getBytes(StandardCharsets.UTF_8));
      if (size <= WHOLE_FILE_BYTES) {
        hashRange(sha, ch, 0, size);
        return;
      }
      ByteBuffer len = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      ch.read(len, 0);
      long header = Math.min(size, 8 + Math.max(0, len.flip().getLong()));
      hashRange(sha, ch, 0, header);
      long span = size - header - SAMPLE_BYTES;
      for (int i = 0; i < SAMPLES; i++) {
        hashRange(sha, ch, header + span * i / (SAMPLES - 1), SAMPLE_BYTES);
      }
    }
  }

  private static void hashRange(MessageDigest sha, FileChannel ch, long from, long bytes)
      throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(1 << 20);
    long at = from;
    long end = from + bytes;
    while (at < end) {
      buf.clear().limit((int) Math.min(buf.capacity(), end - at));
      int n = ch.read(buf, at);
      if (n < 0) {
        return;
      }
      buf.flip();
      sha.update(buf);
      at += n;
    }
  }
}
