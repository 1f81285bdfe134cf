package dev.vitrail.encoders.tensor;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A float32 linear layer {@code y = x·Wᵀ + b} multiplied by ONNX Runtime's MLAS GEMM, on weights
 * MLAS packs once when the layer is made (libtorch's BLAS GEMMs repack the weight on every call,
 * which costs a fifth of a 197-row product; BENCHMARKS.md, issue 15). Each layer is a one-node ONNX
 * session ({@link OnnxGemmModel}) that runs on the calling thread; input and output stay in
 * libtorch's memory (ONNX Runtime reads and writes them in place). Needs ONNX Runtime on the class
 * path (the {@code -Pmlas} build); {@link #available} says whether it is.
 */
public final class MlasLinear implements AutoCloseable {
  private final OrtGemm gemm;
  private final long in;
  private final long out;

  private MlasLinear(OrtGemm gemm, long in, long out) {
    this.gemm = gemm;
    this.in = in;
    this.out = out;
  }

  /** Whether ONNX Runtime is on the class path (the {@code -Pmlas} build). */
  public static boolean available() {
    try {
      Class.forName("ai.onnxruntime.OrtEnvironment", false, MlasLinear.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /**
   * A layer for float32 {@code weight [out, in]} and {@code bias [out]} (or null); the tensors are
   * copied into the session and stay the caller's.
   */
  public static MlasLinear create(Tensor weight, Tensor bias) {
    if (!available()) {
      throw new IllegalStateException(
          "the MLAS linear kernel needs ONNX Runtime on the class path: build with -Pmlas"
              + " (VITRAIL_PROFILES=mlas ./vitrail ...)");
    }
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      throw new IllegalStateException("the MLAS linear kernel needs a little-endian machine");
    }
    long out = weight.size(0);
    long in = weight.size(1);
    byte[] model;
    try (PointerScope scope = new PointerScope()) {
      Tensor w = weight.to(torch.ScalarType.Float).contiguous();
      int bytes = Math.toIntExact(4 * w.numel());
      model =
          OnnxGemmModel.bytes(
              bias == null ? null : floats(bias),
              in,
              out,
              (into, at) ->
                  new BytePointer(w.data_ptr_float()).capacity(bytes).get(into, at, bytes));
    }
    return new MlasLinear(OrtGemm.open(model), in, out);
  }

  /** Applies the layer to the last axis of {@code x}; the result lives in the caller's scope. */
  public Tensor forward(Tensor x) {
    long[] shape = x.shape();
    Tensor x2 = x.reshape(-1, in).contiguous(); // float32: a tower of this kernel computes in it
    long rows = x2.size(0);
    Tensor y = torch.empty(rows, out);
    if (rows > 0) {
      gemm.run(view(x2), view(y), rows, in, out);
    }
    shape[shape.length - 1] = out;
    return y.view(shape);
  }

  @Override
  public void close() {
    gemm.close();
  }

  /** The float32 contents of {@code t} as little-endian bytes. */
  private static byte[] floats(Tensor t) {
    try (PointerScope scope = new PointerScope()) {
      Tensor c = t.to(torch.ScalarType.Float).contiguous();
      byte[] b = new byte[Math.toIntExact(4 * c.numel())];
      new BytePointer(c.data_ptr_float()).capacity(b.length).get(b);
      return b;
    }
  }

  private static FloatBuffer view(Tensor t) {
    return new FloatPointer(t.data_ptr_float()).capacity(t.numel()).asBuffer();
  }
}
