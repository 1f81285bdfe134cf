package dev.vitrail.encoders.golden;

import dev.vitrail.encoders.weights.SafetensorsHeader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.bytedeco.pytorch.Tensor;

/** Reads small F32 tensors of a golden safetensors file onto the heap, then into libtorch. */
public final class GoldenTensors {
  private final SafetensorsHeader header;
  private final ByteBuffer data;

  private GoldenTensors(SafetensorsHeader header, ByteBuffer data) {
    this.header = header;
    this.data = data;
  }

  /** Opens a fixture file by its path relative to the fixture root. */
  public static GoldenTensors open(String relative) {
    Path file = Fixtures.file(relative);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      SafetensorsHeader h = SafetensorsHeader.read(ch);
      ByteBuffer buf = ByteBuffer.allocate((int) h.dataLength()).order(ByteOrder.LITTLE_ENDIAN);
      while (buf.hasRemaining()) {
        if (ch.read(buf, h.dataStart() + buf.position()) < 0) {
          throw new IOException("unexpected end of " + file);
        }
      }
      return new GoldenTensors(h, buf.flip());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The shape of a stored tensor. */
  public long[] shape(String name) {
    return header.entry(name).shape();
  }

  /** The values of an F32 tensor, row-major. */
  public float[] floats(String name) {
    SafetensorsHeader.Entry e = header.entry(name);
    if (!e.dtype().equals("F32")) {
      throw new IllegalArgumentException(name + " is " + e.dtype() + ", expected F32");
    }
    float[] out = new float[(int) e.numel()];
    data.duplicate()
        .order(ByteOrder.LITTLE_ENDIAN)
        .position((int) e.begin())
        .asFloatBuffer()
        .get(out);
    return out;
  }

  /** An F32 tensor as a libtorch CPU tensor. */
  public Tensor tensor(String name) {
    return TensorJson.tensor(floats(name), shape(name));
  }
}
