package dev.vitrail.encoders.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.encoders.golden.Fixtures;
import dev.vitrail.encoders.golden.TensorJson;
import dev.vitrail.encoders.tensor.NativeTorch;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of {@code functions/resolve_outputs.json}. Where the fixture records both, the
 * current-vLLM result is expected ({@code class} keeps the token axis; unknown names rejected).
 */
class ResolveOutputsGoldenTest {
  private static final String FILE = "functions/resolve_outputs.json";
  private static final double TOL = 1e-5;

  @BeforeAll
  static void load() {
    NativeTorch.load();
  }

  static JsonNode root() {
    return Fixtures.json(FILE);
  }

  static Stream<Named<JsonNode>> cases() {
    return named(root().get("cases"), c -> c.get("name").asText());
  }

  static Stream<Named<JsonNode>> selectorCases() {
    return named(root().get("selector_cases"), c -> "selector " + c.get("strategy"));
  }

  static Stream<Named<JsonNode>> tokenCases() {
    return named(
        root().get("num_selected_vision_tokens").get("cases"),
        c -> c.get("num_vision_tokens") + " tokens, " + c.get("strategy"));
  }

  private static Stream<Named<JsonNode>> named(
      JsonNode array, java.util.function.Function<JsonNode, String> label) {
    return StreamSupport.stream(array.spliterator(), false).map(c -> Named.of(label.apply(c), c));
  }

  /** null, a strategy name, or {"callable": "feats[...]"}. */
  static FeatureSelectStrategy strategy(JsonNode s) {
    if (s == null || s.isNull()) {
      return null;
    }
    if (s.isObject()) {
      return PythonSlice.strategy(s.get("callable").asText());
    }
    return FeatureSelectStrategy.of(s.asText());
  }

  private static Tensor tensorOf(JsonNode spec) {
    return TensorJson.tensor(
        TensorJson.flatten(spec.get("values")), TensorJson.longs(spec.get("shape")));
  }

  /** The current-vLLM shape where recorded (same values, e.g. {@code class} keeps its axis). */
  private static long[] expectedShape(JsonNode c) {
    return TensorJson.longs(
        c.has("expected_current_vllm_shape")
            ? c.get("expected_current_vllm_shape")
            : c.get("expected_shape"));
  }

  private static float[] expectedValues(JsonNode c) {
    return TensorJson.flatten(
        c.has("expected_current_vllm") ? c.get("expected_current_vllm") : c.get("expected"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void resolvesLikeCurrentVllm(JsonNode c) {
    JsonNode root = root();
    try (PointerScope scope = new PointerScope()) {
      EncoderOutput outputs;
      if (c.get("input").asText().equals("single_tensor")) {
        outputs = EncoderOutput.single(tensorOf(root.get("single_tensor")));
      } else {
        Tensor all = tensorOf(root.get("hidden_states"));
        List<Tensor> states = new ArrayList<>();
        for (long i = 0; i < all.size(0); i++) {
          states.add(all.select(0, i));
        }
        outputs = EncoderOutput.hiddenStates(states);
      }
      JsonNode ln = root.get("post_layer_norm");
      UnaryOperator<Tensor> norm =
          c.get("post_layer_norm").asBoolean()
              ? new PostLayerNorm(
                  TensorJson.tensor(
                      TensorJson.flatten(ln.get("weight")),
                      TensorJson.longs(ln.get("normalized_shape"))),
                  TensorJson.tensor(
                      TensorJson.flatten(ln.get("bias")),
                      TensorJson.longs(ln.get("normalized_shape"))),
                  ln.get("eps").asDouble())
              : null;
      int[] layers =
          c.hasNonNull("select_layers")
              ? StreamSupport.stream(c.get("select_layers").spliterator(), false)
                  .mapToInt(JsonNode::asInt)
                  .toArray()
              : null;
      Integer max =
          c.hasNonNull("max_possible_layers") ? c.get("max_possible_layers").asInt() : null;
      JsonNode strategyJson = c.get("feature_select_strategy");
      if (c.has("expected_error") || c.has("expected_error_current_vllm")) {
        assertThrows(
            RuntimeException.class,
            () -> EncoderOutputs.resolve(outputs, norm, layers, max, strategy(strategyJson)));
        return;
      }
      Tensor out = EncoderOutputs.resolve(outputs, norm, layers, max, strategy(strategyJson));
      TensorJson.assertClose(
          expectedShape(c), expectedValues(c), out, TOL, TOL, c.get("name").asText());
    }
  }

  @ParameterizedTest
  @MethodSource("selectorCases")
  void selectorMatches(JsonNode c) {
    try (PointerScope scope = new PointerScope()) {
      Tensor all = tensorOf(root().get("hidden_states"));
      Tensor feats = all.select(0, 1);
      if (c.has("expected_error") || c.has("expected_error_current_vllm")) {
        assertThrows(
            IllegalArgumentException.class, () -> strategy(c.get("strategy")).select(feats));
        return;
      }
      TensorJson.assertClose(
          expectedShape(c),
          expectedValues(c),
          strategy(c.get("strategy")).select(feats),
          0,
          0,
          "selector " + c.get("strategy"));
    }
  }

  @ParameterizedTest
  @MethodSource("tokenCases")
  void countsSelectedTokens(JsonNode c) {
    long n = c.get("num_vision_tokens").asLong();
    if (c.has("expected_error")) {
      assertThrows(
          IllegalArgumentException.class, () -> strategy(c.get("strategy")).numSelectedTokens(n));
      return;
    }
    assertEquals(c.get("expected").asLong(), strategy(c.get("strategy")).numSelectedTokens(n));
  }
}
