package dev.vitrail.encoders.select;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;

/** Turns the fixtures' {@code feats[:, a:b:c, :]} callables into custom strategies. */
final class PythonSlice {
  private static final Pattern SLICE =
      Pattern.compile(
          "feats\\[\\s*:\\s*,\\s*(-?\\d*)\\s*:\\s*(-?\\d*)\\s*(?::\\s*(-?\\d*))?\\s*,\\s*:\\s*]");

  private PythonSlice() {}

  static FeatureSelectStrategy strategy(String expr) {
    Matcher m = SLICE.matcher(expr.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("unsupported callable in fixture: " + expr);
    }
    String start = m.group(1);
    String end = m.group(2);
    long step = m.group(3) == null || m.group(3).isEmpty() ? 1 : Long.parseLong(m.group(3));
    return FeatureSelectStrategy.custom(
        (Tensor feats) -> feats.slice(1, bound(start), bound(end), step));
  }

  /** A fresh optional per call: the selector may run in scopes that free it afterwards. */
  private static LongOptional bound(String s) {
    return s.isEmpty() ? new LongOptional() : new LongOptional(Long.parseLong(s));
  }
}
