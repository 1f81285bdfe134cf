package dev.vitrail.runtime.vlm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The bytes {@code torch.save(tensor)} produces for one contiguous CPU tensor, which {@code
 * torch.load(..., weights_only=True)} reads back (vLLM's {@code ImageEmbeddingMediaIO}): a zip
 * archive (stored, not deflated) with {@code archive/data.pkl} (a protocol-2 pickle calling {@code
 * torch._utils._rebuild_tensor_v2} on the persistent storage {@code ('storage',
 * torch.<Type>Storage, '0', 'cpu', numel)}), {@code archive/byteorder} ({@code little}), {@code
 * archive/data/0} (the raw little-endian elements) and {@code archive/version} ({@code 3}).
 */
public final class TorchSave {
  private TorchSave() {}

  /** A float tensor of {@code shape} cast to {@code dtype}. */
  public static byte[] tensor(float[] values, long[] shape, EcDtype dtype) {
    return archive(dtype.torchStorage(), shape, dtype.encode(values));
  }

  /** An int64 tensor of {@code shape}. */
  public static byte[] int64(long[] values, long[] shape) {
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.allocate(values.length * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      b.putLong(v);
    }
    return archive("LongStorage", shape, b.array());
  }

  private static byte[] archive(String storage, long[] shape, byte[] data) {
    long numel = 1;
    for (long d : shape) {
      numel *= d;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 1024);
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      stored(zip, "archive/data.pkl", pickle(storage, shape, numel));
      stored(zip, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
      stored(zip, "archive/data/0", data);
      stored(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build a torch.save archive in memory", e);
    }
    return out.toByteArray();
  }

  private static void stored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(bytes.length);
    e.setCompressedSize(bytes.length);
    CRC32 crc = new CRC32();
    crc.update(bytes);
    e.setCrc(crc.getValue());
    e.setTimeLocal(java.time.LocalDateTime.of(1980, 1, 1, 0, 0));
    zip.putNextEntry(e);
    zip.write(bytes);
    zip.closeEntry();
  }

  /** {@code _rebuild_tensor_v2(storage, 0, shape, contiguous strides, False, OrderedDict())}. */
  static byte[] pickle(String storage, long[] shape, long numel) {
    Pickle p = new Pickle();
    p.proto2();
    p.global("torch._utils", "_rebuild_tensor_v2");
    p.mark();
    p.mark();
    p.text("storage");
    p.global("torch", storage);
    p.text("0");
    p.text("cpu");
    p.integer(numel);
    p.tuple();
    p.persistentId();
    p.integer(0);
    p.mark();
    for (long d : shape) {
      p.integer(d);
    }
    p.tuple();
    p.mark();
    long stride = 1;
    long[] strides = new long[shape.length];
    for (int i = shape.length - 1; i >= 0; i--) {
      strides[i] = stride;
      stride *= shape[i];
    }
    for (long s : strides) {
      p.integer(s);
    }
    p.tuple();
    p.bool(false);
    p.global("collections", "OrderedDict");
    p.emptyTuple();
    p.reduce();
    p.tuple();
    p.reduce();
    return p.stop();
  }
}
