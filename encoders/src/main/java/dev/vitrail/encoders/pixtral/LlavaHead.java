package dev.vitrail.encoders.pixtral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrail.config.hf.InvalidConfigException;
import dev.vitrail.encoders.layers.Activation;
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.weights.Checkpoint;
import dev.vitrail.encoders.weights.WeightMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The LLaVA top level of a checkpoint whose tower is Pixtral: which hidden state feeds the
 * projector ({@code vision_feature_layer}) and the projector itself, as vLLM's {@code
 * LlavaForConditionalGeneration} builds them ({@code text_config.hidden_size} wide, {@code
 * projector_hidden_act}, {@code multimodal_projector_bias}).
 *
 * @param featureLayer the hidden state index vLLM feeds the projector (-1: the last layer)
 * @param textHidden the language model's width (the projector's output)
 * @param projector the loaded projector
 */
public record LlavaHead(int featureLayer, int textHidden, LlavaProjector projector)
    implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * The head of {@code modelDir}, or null when its checkpoint has no {@code multi_modal_projector}
   * (a stand-alone Pixtral tower).
   *
   * @throws InvalidConfigException for a projector that vLLM would not build the way read here
   */
  public static LlavaHead load(
      Path modelDir, Checkpoint checkpoint, ComputeTarget target, int visionHidden) {
    boolean present =
        checkpoint.keys().stream()
            .anyMatch(
                k ->
                    k.startsWith(LlavaProjector.PREFIXES[0])
                        || k.startsWith(LlavaProjector.PREFIXES[1]));
    if (!present) {
      return null;
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(modelDir.resolve("config.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + modelDir.resolve("config.json"), e);
    }
    JsonNode layer = root.path("vision_feature_layer");
    if (!layer.isMissingNode() && !layer.isNull() && !layer.isInt()) {
      throw new InvalidConfigException(
          "vision_feature_layer must be one layer index for a Pixtral projector, got " + layer,
          null);
    }
    String strategy = root.path("vision_feature_select_strategy").asText("full");
    if (!strategy.equals("full")) {
      throw new InvalidConfigException(
          "a Pixtral tower has no class token: vision_feature_select_strategy must be 'full', got '"
              + strategy
              + "'",
          null);
    }
    int textHidden = root.path("text_config").path("hidden_size").asInt(0);
    if (textHidden <= 0) {
      throw new InvalidConfigException(
          "config.json has a multi_modal_projector but no text_config.hidden_size", null);
    }
    WeightMap w = WeightMap.bind(checkpoint, target, LlavaProjector.PREFIXES);
    LlavaProjector p =
        LlavaProjector.load(
            w,
            visionHidden,
            textHidden,
            Activation.byName(root.path("projector_hidden_act").asText("gelu")),
            root.path("multimodal_projector_bias").asBoolean(true));
    return new LlavaHead(layer.isInt() ? layer.asInt() : -1, textHidden, p);
  }

  @Override
  public void close() {
    projector.close();
  }
}
