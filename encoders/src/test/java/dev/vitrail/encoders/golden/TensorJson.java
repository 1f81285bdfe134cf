package dev.vitrail.encoders.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Float tensors to and from the fixtures' nested JSON lists, and comparisons. */
public final class TensorJson {
  private TensorJson() {}

  /** Reads an int array such as {@code [2, 5, 4]}. */
  public static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).longValue();
    }
    return out;
  }

  /** Flattens nested lists of numbers in row-major order, each parsed as double then cast. */
  public static float[] flatten(JsonNode nested) {
    List<Float> acc = new ArrayList<>();
    collect(nested, acc);
    float[] out = new float[acc.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = acc.get(i);
    }
    return out;
  }

  private static void collect(JsonNode n, List<Float> acc) {
    if (n.isArray()) {
      n.forEach(c -> collect(c, acc));
    } else {
      acc.add((float) n.doubleValue());
    }
  }

  /** A float32 CPU tensor of the given shape holding {@code values}. */
  public static Tensor tensor(float[] values, long[] shape) {
    Tensor t = torch.empty(shape);
    assertEquals(values.length, t.numel(), "value count vs shape");
    if (values.length > 0) {
      t.data_ptr_float().put(values);
    }
    return t;
  }

  /** The shape of a tensor. */
  public static long[] shape(Tensor t) {
    long[] s = new long[(int) t.dim()];
    for (int i = 0; i < s.length; i++) {
      s[i] = t.size(i);
    }
    return s;
  }

  /** Copies a float tensor's values out in row-major order. */
  public static float[] values(Tensor t) {
    Tensor c = t.contiguous();
    float[] out = new float[(int) c.numel()];
    if (out.length > 0) {
      c.data_ptr_float().get(out);
    }
    return out;
  }

  /** Asserts shape and values, within {@code |a - e| <= atol + rtol * |e|}. */
  public static void assertClose(
      long[] shape, float[] expected, Tensor actual, double atol, double rtol, String what) {
    assertArrayEquals(shape, shape(actual), what + ": shape");
    float[] got = values(actual);
    for (int i = 0; i < expected.length; i++) {
      double diff = Math.abs(got[i] - expected[i]);
      if (diff > atol + rtol * Math.abs(expected[i])) {
        throw new AssertionError(
            what + ": value " + i + " is " + got[i] + ", expected " + expected[i]);
      }
    }
  }
}
