package dev.vitrail.encoders.tensor;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * The ONNX Runtime side of {@link MlasLinear}: one session of an {@link OnnxGemmModel}. Every
 * reference to ONNX Runtime's classes is here, so that the rest of the encoders loads without them
 * (they are on the run-time class path only in the {@code -Pmlas} build).
 */
final class OrtGemm implements AutoCloseable {
  private static volatile OrtSession.SessionOptions options;

  private final OrtEnvironment env; // kept: getEnvironment() is synchronized, not for every call
  private final OrtSession session;

  private OrtGemm(OrtEnvironment env, OrtSession session) {
    this.env = env;
    this.session = session;
  }

  /** A session of {@code model} ({@link OnnxGemmModel#bytes}). */
  static OrtGemm open(byte[] model) {
    try {
      OrtSession.SessionOptions o = options(); // first: it sets the environment's logging level
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      return new OrtGemm(env, env.createSession(model, o));
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime refused a linear layer: " + e.getMessage(), e);
    }
  }

  /**
   * {@code y [rows, out] = x [rows, in]·Wᵀ + b}, read from and written into the two buffers in
   * place.
   */
  void run(FloatBuffer x, FloatBuffer y, long rows, long in, long out) {
    try (OnnxTensor xt = OnnxTensor.createTensor(env, x, new long[] {rows, in});
        OnnxTensor yt = OnnxTensor.createTensor(env, y, new long[] {rows, out});
        OrtSession.Result unused =
            session.run(Map.of(OnnxGemmModel.INPUT, xt), Map.of(OnnxGemmModel.OUTPUT, yt))) {
      // y now holds the product: ONNX Runtime wrote into its memory
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed a linear layer: " + e.getMessage(), e);
    }
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
      synchronized (OrtGemm.class) {
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
}
