package dev.vitrail.encoders.tensor;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of a one-node ONNX model {@code Y = Gemm(X, W, B, transB = 1)}: {@code X [rows, in]}
 * with {@code rows} left free, the weight {@code W [out, in]} and optional bias {@code B [out]} as
 * float32 initializers. Only the few protobuf fields such a model needs are written (wire format:
 * varint and length-delimited fields), so no ONNX or protobuf library is needed to build it.
 */
public final class OnnxGemmModel {
  /** The graph's input and output names. */
  public static final String INPUT = "X";

  public static final String OUTPUT = "Y";

  private static final int FLOAT = 1; // TensorProto.DataType.FLOAT
  private static final int IR_VERSION = 8;
  private static final int OPSET = 17;

  private OnnxGemmModel() {}

  /** Writes a weight's {@code out·in} little-endian floats into {@code into} at {@code offset}. */
  public interface WeightWriter {
    void write(byte[] into, int offset);
  }

  /**
   * The model for a weight of {@code out·in} floats (row-major, little-endian), written by {@code
   * weight} straight into the model's bytes (copied once, not once per enclosing message), and
   * {@code bias} ({@code out} little-endian floats, or null for none).
   */
  public static byte[] bytes(byte[] bias, long in, long out, WeightWriter weight) {
    if (bias != null && bias.length != 4 * out) {
      throw sizes(in, out);
    }
    long weightBytes = 4 * in * out;
    Proto gemm = new Proto().text(1, INPUT).text(1, "W");
    if (bias != null) {
      gemm.text(1, "B");
    }
    gemm.text(2, OUTPUT).text(3, "linear").text(4, "Gemm");
    gemm.message(5, new Proto().text(1, "transB").varint(3, 1).varint(20, 2)); // INT attribute
    Proto graphBefore = new Proto().message(1, gemm).text(2, "linear");
    // initializer W: a TensorProto whose raw_data (field 9) is the weight, written last
    Proto weightHead = header("W", out, in).tag(9, 2).raw(weightBytes);
    long tensorLength = weightHead.size() + weightBytes;
    graphBefore.tag(5, 2).raw(tensorLength);
    Proto graphAfter = new Proto();
    if (bias != null) {
      graphAfter.message(5, header("B", out).bytes(9, bias));
    }
    graphAfter.message(11, valueInfo(INPUT, in)).message(12, valueInfo(OUTPUT, out));
    long graphLength = graphBefore.size() + weightHead.size() + weightBytes + graphAfter.size();
    Proto modelHead =
        new Proto()
            .varint(1, IR_VERSION)
            .message(8, new Proto().text(1, "").varint(2, OPSET))
            .tag(7, 2)
            .raw(graphLength);
    long total = modelHead.size() + graphLength;
    if (total > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          "a " + out + "x" + in + " weight is too large for one model");
    }
    byte[] model = new byte[(int) total];
    int at = modelHead.copyTo(model, 0);
    at = graphBefore.copyTo(model, at);
    at = weightHead.copyTo(model, at);
    weight.write(model, at);
    graphAfter.copyTo(model, at + (int) weightBytes);
    return model;
  }

  private static IllegalArgumentException sizes(long in, long out) {
    return new IllegalArgumentException(
        "weight must hold "
            + in * out
            + " floats and bias "
            + out
            + " for ["
            + out
            + ", "
            + in
            + "]");
  }

  /** A float32 TensorProto's dims, data type and name. */
  private static Proto header(String name, long... dims) {
    Proto t = new Proto();
    for (long d : dims) {
      t.varint(1, d);
    }
    return t.varint(2, FLOAT).text(8, name);
  }

  /** A float32 {@code [rows, columns]} value with {@code rows} free. */
  private static Proto valueInfo(String name, long columns) {
    Proto shape =
        new Proto()
            .message(1, new Proto().text(2, "rows"))
            .message(1, new Proto().varint(1, columns));
    Proto tensorType = new Proto().varint(1, FLOAT).message(2, shape);
    return new Proto().text(1, name).message(2, new Proto().message(1, tensorType));
  }

  /** A protobuf message being written, field by field. */
  private static final class Proto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Proto varint(int field, long value) {
      return tag(field, 0).raw(value);
    }

    Proto tag(int field, int wireType) {
      return raw(((long) field << 3) | wireType);
    }

    Proto bytes(int field, byte[] value) {
      tag(field, 2).raw(value.length);
      out.write(value, 0, value.length);
      return this;
    }

    Proto text(int field, String value) {
      return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Proto message(int field, Proto value) {
      return bytes(field, value.toBytes());
    }

    byte[] toBytes() {
      return out.toByteArray();
    }

    int size() {
      return out.size();
    }

    /** Copies the bytes written so far into {@code into} at {@code at}; returns the end. */
    int copyTo(byte[] into, int at) {
      byte[] b = out.toByteArray();
      System.arraycopy(b, 0, into, at, b.length);
      return at + b.length;
    }

    /** A varint. */
    Proto raw(long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
      return this;
    }
  }
}
