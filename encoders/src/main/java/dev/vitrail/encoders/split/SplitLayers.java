package dev.vitrail.encoders.split;

import dev.vitrail.encoders.layers.Activation;
import dev.vitrail.encoders.layers.LayerNorm;
import dev.vitrail.encoders.tensor.NativeTorch;
import dev.vitrail.encoders.weights.WeightMap;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * HF's pre-norm CLIP/SigLIP encoder layers split across {@code n} threads (tensor parallelism): per
 * layer, each thread multiplies its {@link LayerShard} on one core and the threads meet twice,
 * after the attention's and the MLP's partial sums. Every thread adds the partials itself, in shard
 * order, so all hold the same residual stream without a third meeting; the layer norms and sums
 * this repeats cost a few percent of a GEMM. A shard's published partial is released only after the
 * next meeting, when no other thread can still be reading it ({@link PartialSums}). Owns its
 * weights and its threads.
 */
public final class SplitLayers implements AutoCloseable {
  private final LayerNorm[] norm1;
  private final LayerNorm[] norm2;
  private final LayerShard[][] shards; // [layer][shard]
  private final ShardCrew crew;
  private final PartialSums attnParts; // the attention's partials of the current layer
  private final PartialSums mlpParts; // the MLP's

  private SplitLayers(LayerNorm[] norm1, LayerNorm[] norm2, LayerShard[][] shards, ShardCrew crew) {
    this.norm1 = norm1;
    this.norm2 = norm2;
    this.shards = shards;
    this.crew = crew;
    this.attnParts = new PartialSums(crew.shards());
    this.mlpParts = new PartialSums(crew.shards());
  }

  /**
   * Loads {@code count} HF encoder layers under {@code name}, split {@code ways} ways (2 to {@code
   * heads}).
   */
  public static SplitLayers load(
      WeightMap w,
      String name,
      int count,
      long dim,
      long inner,
      int heads,
      Activation act,
      double eps,
      int ways) {
    if (ways < 2 || ways > heads) {
      throw new IllegalArgumentException(
          "a split needs 2 to " + heads + " ways (one head each at least), got " + ways);
    }
    LayerNorm[] n1 = new LayerNorm[count];
    LayerNorm[] n2 = new LayerNorm[count];
    LayerShard[][] parts = new LayerShard[count][];
    try {
      for (int i = 0; i < count; i++) {
        String layer = name + "." + i;
        n1[i] = LayerNorm.load(w, layer + ".layer_norm1", dim, eps);
        n2[i] = LayerNorm.load(w, layer + ".layer_norm2", dim, eps);
        parts[i] = ShardLoader.load(w, layer, dim, inner, heads, act, ways);
      }
      NativeTorch.trimHeap(); // the full-size temporaries the slices were cut from
      return new SplitLayers(n1, n2, parts, new ShardCrew(ways, "vitrail-split"));
    } catch (RuntimeException e) {
      closeAll(n1, n2, parts);
      throw e;
    }
  }

  /** The number of threads the layers are split across. */
  public int ways() {
    return crew.shards();
  }

  /**
   * Runs every layer on {@code input}, which the layers take over; returns the hidden states (input
   * first, then each layer's output) or, unless {@code all}, only the last, each owned by the
   * caller.
   */
  public List<Tensor> forward(Tensor input, boolean all) {
    List<Tensor> states = new ArrayList<>();
    if (all) {
      states.add(input);
    }
    boolean done = false;
    // the caller only waits: no OpenMP team of its own spinning beside the shards
    int callerThreads = NativeTorch.callerTorchThreads();
    NativeTorch.setCallerTorchThreads(1);
    try {
      Tensor last = crew.run(s -> runShard(s, input, all ? states : null));
      if (!all) {
        states.add(last);
      }
      done = true;
      return states;
    } finally {
      NativeTorch.setCallerTorchThreads(callerThreads);
      attnParts.releaseAll(); // left behind by a failed shard
      mlpParts.releaseAll();
      if (!all && (states.isEmpty() || states.get(0) != input)) {
        input.close();
      }
      if (!done) {
        states.forEach(Tensor::close);
      }
    }
  }

  /**
   * Shard {@code s}'s pass over all layers. Shard 0 appends each layer's output to {@code states}
   * when it is not null, else returns the last; the other shards return null.
   */
  private Tensor runShard(int s, Tensor input, List<Tensor> states) {
    boolean keep = s == 0 && states != null;
    Tensor x = input; // owned by this shard after layer 0 (unless kept in states)
    Tensor h = null;
    try {
      for (int l = 0; l < shards.length; l++) {
        LayerShard part = shards[l][s];
        LayerNorm n1 = norm1[l];
        LayerNorm n2 = norm2[l];
        Tensor xl = x;
        attnParts.publish(s, scoped(() -> part.attention(n1.forward(xl))));
        crew.await(s);
        mlpParts.release(s); // the previous layer's: every shard has added it up
        h = scoped(() -> attnParts.addTo(xl));
        Tensor hl = h;
        mlpParts.publish(s, scoped(() -> part.mlp(n2.forward(hl))));
        crew.await(s);
        attnParts.release(s);
        Tensor next = scoped(() -> mlpParts.addTo(hl));
        if (keep) {
          states.add(next);
        } else if (x != input) {
          x.close();
        }
        x = next;
        h.close();
        h = null;
      }
      crew.await(s);
      mlpParts.release(s);
      if (s == 0 && !keep) {
        Tensor last = x;
        x = input; // handed to the caller
        return last;
      }
      return null;
    } finally {
      if (h != null) {
        h.close();
      }
      if (x != input && !keep) {
        x.close();
      }
    }
  }

  /** Runs {@code f} in its own scope and returns its tensor owned by the caller. */
  private static Tensor scoped(java.util.function.Supplier<Tensor> f) {
    try (PointerScope scope = new PointerScope()) {
      Tensor t = f.get();
      t.retainReference();
      return t;
    }
  }

  private static void closeAll(LayerNorm[] n1, LayerNorm[] n2, LayerShard[][] parts) {
    for (int i = 0; i < parts.length; i++) {
      if (n1[i] != null) {
        n1[i].close();
      }
      if (n2[i] != null) {
        n2[i].close();
      }
      if (parts[i] != null) {
        for (LayerShard p : parts[i]) {
          p.close();
        }
      }
    }
  }

  @Override
  public void close() {
    crew.close();
    closeAll(norm1, norm2, shards);
  }
}
