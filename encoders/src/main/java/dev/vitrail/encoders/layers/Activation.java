package dev.vitrail.encoders.layers;

import java.util.Arrays;
import java.util.Locale;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** The activations named by HuggingFace's {@code hidden_act}. */
public enum Activation {
  /** {@code x · sigmoid(1.702 x)}. */
  QUICK_GELU("quick_gelu"),
  /** Exact (erf) GELU. */
  GELU("gelu"),
  /** Tanh-approximated GELU (HF {@code gelu_pytorch_tanh}, {@code gelu_new}, {@code gelu_fast}). */
  GELU_TANH("gelu_pytorch_tanh", "gelu_new", "gelu_fast"),
  /** {@code x · sigmoid(x)}. */
  SILU("silu", "swish"),
  /** {@code max(x, 0)}. */
  RELU("relu");

  private final String[] names;

  Activation(String... names) {
    this.names = names;
  }

  /** The activation for a {@code hidden_act} value; an unknown one lists the supported names. */
  public static Activation byName(String name) {
    String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
    for (Activation a : values()) {
      if (Arrays.asList(a.names).contains(n)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unsupported hidden_act '"
            + name
            + "'; supported: "
            + Arrays.stream(values()).flatMap(a -> Arrays.stream(a.names)).toList());
  }

  /**
   * The name of this activation as a post-op of oneDNN's linear ({@code
   * mkldnn::_linear_pointwise}), or null where it has none; quick GELU maps to {@code swish}, which
   * is quick GELU only on inputs scaled by 1.702 (see {@link Mlp}).
   */
  public String oneDnnPostOp() {
    return switch (this) {
      case QUICK_GELU, SILU -> "swish";
      case GELU, GELU_TANH -> "gelu";
      case RELU -> "relu";
    };
  }

  /**
   * The post-op's algorithm argument: {@code "none"} (erf) or {@code "tanh"} for GELU, else null.
   */
  public String oneDnnAlgorithm() {
    return switch (this) {
      case GELU -> "none";
      case GELU_TANH -> "tanh";
      default -> null;
    };
  }

  /** Applies the activation; the result lives in the caller's scope. */
  public Tensor apply(Tensor x) {
    return switch (this) {
      case QUICK_GELU -> {
        Tensor t = x.mul(new Scalar(1.702)); // one buffer: sigmoid and the product in place
        t.sigmoid_();
        yield t.mul_(x);
      }
      case GELU -> torch.gelu(x);
      case GELU_TANH -> torch.gelu(x, "tanh");
      case SILU -> torch.silu(x);
      case RELU -> torch.relu(x);
    };
  }
}
