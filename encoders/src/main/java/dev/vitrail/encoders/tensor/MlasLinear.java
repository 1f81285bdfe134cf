package dev.vitrail.encoders.tensor;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
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
  private static volatile OrtSession.SessionOptions options;

  private final OrtSession session;
  private final long in;
  private final long out;

  private MlasLinear(OrtSession session, long in, long out) {
    this.session = session;
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
    try {
      OrtSession.SessionOptions o = options(); // first: it sets the environment's logging level
      return new MlasLinear(OrtEnvironment.getEnvironment().createSession(model, o), in, out);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime refused a linear layer: " + e.getMessage(), e);
    }
  }

  /** Applies the layer to the last axis of {@code x}; the result lives in the caller's scope. */
  public Tensor forward(Tensor x) {
    long[] shape = x.shape();
    Tensor x2 = x.reshape(-1, in).to(torch.ScalarType.Float).contiguous();
    long rows = x2.size(0);
    Tensor y = torch.empty(rows, out);
    if (rows > 0) {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OnnxTensor xt = OnnxTensor.createTensor(env, view(x2), new long[] {rows, in});
          OnnxTensor yt = OnnxTensor.createTensor(env, view(y), new long[] {rows, out});
          OrtSession.Result unused =
              session.run(Map.of(OnnxGemmModel.INPUT, xt), Map.of(OnnxGemmModel.OUTPUT, yt))) {
        // y now holds the product: ONNX Runtime wrote into its memory
      } catch (OrtException e) {
        throw new IllegalStateException("ONNX Runtime failed a linear layer: " + e.getMessage(), e);
      }
    }
    shape[shape.length - 1] = out;
    return y.view(shape);
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * One session thread (the caller's: a tower's threads are its shards or its own per-core
   * workers), no spinning, no arena (the one buffer a run needs is the output, which is
   * libtorch's).
   */
  private static OrtSession.SessionOptions options() throws OrtException {
    OrtSession.SessionOptions o = options;
    if (o == null) {
      synchronized (MlasLinear.class) {
        o = options;
        if (o == null) {
          OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "vitrail");
          o = new OrtSession.SessionOptions();
          o.setIntraOpNumThreads(1);
          o.setInterOpNumThreads(1);
          o.addConfigEntry("session.intra_op.allow_spinning", "0");
          o.setCPUArenaAllocator(false);
          o.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
          options = o;
        }
      }
    }
    return o;
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
