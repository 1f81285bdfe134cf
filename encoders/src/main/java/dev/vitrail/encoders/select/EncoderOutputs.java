package dev.vitrail.encoders.select;

import dev.vitrail.encoders.tensor.ScopedCall;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * vLLM's {@code resolve_visual_encoder_outputs}: turns what an encoder returned into one feature
 * tensor by picking hidden states, selecting tokens, applying the post-layernorm and concatenating
 * on the last axis.
 *
 * <p>The reference's behaviour is reproduced exactly, including its quirks (marked QUIRK below).
 * The result is a new tensor in the caller's {@link org.bytedeco.javacpp.PointerScope}; every
 * intermediate is freed before returning.
 */
public final class EncoderOutputs {
  private EncoderOutputs() {}

  /**
   * The last hidden state, with token selection then post-norm.
   *
   * @param postNorm the post-layernorm, or null
   * @param strategy the token selection, or null for none
   */
  public static Tensor resolveLast(
      Tensor lastHiddenState, UnaryOperator<Tensor> postNorm, FeatureSelectStrategy strategy) {
    return resolve(EncoderOutput.single(lastHiddenState), postNorm, null, null, strategy);
  }

  /**
   * Picks {@code selectLayers} out of all hidden states (input embeddings first) and concatenates
   * them on the last axis after token selection; the post-norm goes to the last picked one when
   * {@code selectLayers[-1]} is -1 or {@code maxPossibleLayers - 1}.
   */
  public static Tensor resolveLayers(
      List<Tensor> hiddenStates,
      UnaryOperator<Tensor> postNorm,
      int[] selectLayers,
      int maxPossibleLayers,
      FeatureSelectStrategy strategy) {
    return resolve(
        EncoderOutput.hiddenStates(hiddenStates),
        postNorm,
        selectLayers,
        maxPossibleLayers,
        strategy);
  }

  /**
   * The general form, argument for argument as vLLM.
   *
   * @param outputs a single tensor or every hidden state
   * @param postNorm the post-layernorm, or null
   * @param selectLayers layer indices (negative ones count from the full encoder's end), or null
   * @param maxPossibleLayers the full encoder's layer count; required with {@code selectLayers}
   * @param strategy token selection applied to each picked hidden state, or null
   */
  public static Tensor resolve(
      EncoderOutput outputs,
      UnaryOperator<Tensor> postNorm,
      int[] selectLayers,
      Integer maxPossibleLayers,
      FeatureSelectStrategy strategy) {
    return resolve(outputs, postNorm, selectLayers, maxPossibleLayers, null, strategy);
  }

  /**
   * Newer vLLM's form with {@code last_hs_proc}: a step applied to the last layer's hidden state
   * when it is used (SigLIP's post-layernorm and pooling head), before token selection and the
   * post-norm. Without {@code selectLayers} it is applied to the single output; with them, to the
   * last picked state when {@code selectLayers[-1]} is -1 or {@code maxPossibleLayers - 1}. Its
   * output must concatenate with the other picked states on the last axis.
   *
   * @param lastHsProc the last-layer step, or null
   */
  public static Tensor resolve(
      EncoderOutput outputs,
      UnaryOperator<Tensor> postNorm,
      int[] selectLayers,
      Integer maxPossibleLayers,
      UnaryOperator<Tensor> lastHsProc,
      FeatureSelectStrategy strategy) {
    if (selectLayers == null) {
      if (!(outputs instanceof EncoderOutput.Single single)) {
        throw new IllegalArgumentException(
            "expected a single encoder output when select_layers is not provided, got "
                + ((EncoderOutput.HiddenStates) outputs).states().size()
                + " hidden states");
      }
      return ScopedCall.returning(
          () ->
              selectThenNorm(
                  lastHsProc == null ? single.tensor() : lastHsProc.apply(single.tensor()),
                  postNorm,
                  strategy));
    }
    if (maxPossibleLayers == null) {
      throw new IllegalArgumentException(
          "max_possible_layers must be provided alongside select_layers "
              + Arrays.toString(selectLayers));
    }
    if (selectLayers.length == 0) {
      throw new IllegalArgumentException("select_layers must not be empty");
    }
    return ScopedCall.returning(
        () -> pickLayers(outputs, postNorm, selectLayers, maxPossibleLayers, lastHsProc, strategy));
  }

  private static Tensor selectThenNorm(
      Tensor x, UnaryOperator<Tensor> postNorm, FeatureSelectStrategy strategy) {
    Tensor selected = strategy == null ? x : strategy.select(x);
    return postNorm == null ? selected : postNorm.apply(selected);
  }

  private static Tensor pickLayers(
      EncoderOutput outputs,
      UnaryOperator<Tensor> postNorm,
      int[] selectLayers,
      int maxPossibleLayers,
      UnaryOperator<Tensor> lastHsProc,
      FeatureSelectStrategy strategy) {
    List<Tensor> states = statesOf(outputs);
    int n = states.size();
    // Negative indices are relative to the full encoder: shift them by the layers not loaded.
    // QUIRK: the shifted index is then used as a Python list index, so it may wrap around (e.g.
    // -1 + offset 2 = 1 picks hidden state 1, -1 + offset 1 = 0 picks the input embeddings), and
    // the offset is negative when maxPossibleLayers is smaller than the loaded layer count.
    int offset = maxPossibleLayers - (n - 1);
    List<Tensor> pool = new ArrayList<>(selectLayers.length);
    for (int layer : selectLayers) {
      int index = layer >= 0 ? layer : layer + offset;
      pool.add(states.get(pythonIndex(index, n, layer, offset)));
    }
    // QUIRK: the "uses the last layer" decision looks at the raw last index, not the resolved one:
    // a positive index maxPossibleLayers - 1 (the penultimate hidden state) counts, while
    // maxPossibleLayers (the final layer's output) does not.
    int last = selectLayers[selectLayers.length - 1];
    boolean usesLast = last == -1 || last == maxPossibleLayers - 1;
    if (lastHsProc != null && usesLast) {
      pool.set(pool.size() - 1, lastHsProc.apply(pool.get(pool.size() - 1)));
    }
    if (strategy != null) {
      pool.replaceAll(strategy::select);
    }
    if (postNorm != null && usesLast) {
      pool.set(pool.size() - 1, postNorm.apply(pool.get(pool.size() - 1)));
    }
    return torch.cat(new TensorVector(pool.toArray(new Tensor[0])), -1);
  }

  private static List<Tensor> statesOf(EncoderOutput outputs) {
    if (outputs instanceof EncoderOutput.HiddenStates hs) {
      return hs.states();
    }
    // QUIRK: a single tensor passed with select_layers is not rejected by the reference: it is
    // indexed like a list along its first (batch) axis, so each "layer" is one batch element.
    Tensor t = ((EncoderOutput.Single) outputs).tensor();
    if (t.dim() < 1) {
      throw new IllegalArgumentException("cannot pick layers from a 0-d tensor");
    }
    List<Tensor> rows = new ArrayList<>();
    for (long i = 0; i < t.size(0); i++) {
      rows.add(t.select(0, i));
    }
    return rows;
  }

  private static int pythonIndex(int index, int size, int layer, int offset) {
    if (index < -size || index >= size) {
      throw new IndexOutOfBoundsException(
          "select_layers entry "
              + layer
              + " resolves to hidden-state index "
              + index
              + " (offset "
              + offset
              + "), outside the "
              + size
              + " hidden states returned");
    }
    return index < 0 ? index + size : index;
  }
}
