package dev.vitrail.bench.runtime;

import dev.vitrail.actors.balance.CostModel;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Balancing simulation: random Qwen2.5-VL image mixes (224² to 1344² px) over simulated workers;
 * prints makespan ÷ lower bound per policy. Arguments: trials (default 500), images per micro-batch
 * (default 32).
 */
public final class BalanceBench {
  private BalanceBench() {}

  /** Runs every scenario and prints a Markdown table. */
  public static void main(String[] args) {
    int trials = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int images = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    // Per layer: ~24·d² FLOPs per patch (projections, MLP), ~4·d per attending pair; d = 1280.
    double b = 4.0 * 1280 / (24.0 * 1280 * 1280);
    CostModel qwen = CostModel.windowed(1, b, 64, 4, 32);
    CostModel quadratic = CostModel.fullAttention(1, b);
    System.out.println("| cost | workers (speeds) | policy | mean | p95 | max | makespan vs lpt |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (int m : new int[] {4, 8}) {
      double[] uniform = new double[m];
      Arrays.fill(uniform, 1.0);
      double[] uneven = new double[m];
      for (int w = 0; w < m; w++) {
        uneven[w] = w < m / 2 ? 1.0 : 0.5;
      }
      run("Qwen2.5-VL windowed", qwen, uniform, m + " x 1.0", trials, images);
      run("full attention", quadratic, uniform, m + " x 1.0", trials, images);
      run(
          "Qwen2.5-VL windowed",
          qwen,
          uneven,
          (m / 2) + " x 1.0 + " + (m / 2) + " x 0.5",
          trials,
          images);
      run(
          "full attention",
          quadratic,
          uneven,
          (m / 2) + " x 1.0 + " + (m / 2) + " x 0.5",
          trials,
          images);
    }
  }

  private static void run(
      String label, CostModel model, double[] speeds, String workers, int trials, int images) {
    Random rnd = new Random(42);
    double[][] ratios = new double[3][trials];
    double[] makespan = new double[3];
    for (int t = 0; t < trials; t++) {
      long[] patches = QwenGrids.patches(rnd, images);
      double[] costs = model.costs(patches);
      double lb = BalanceSimulation.lowerBound(costs, speeds);
      double[] got = {
        BalanceSimulation.lpt(patches, costs, speeds),
        BalanceSimulation.cost(costs, speeds),
        BalanceSimulation.pull(costs, speeds)
      };
      for (int p = 0; p < 3; p++) {
        ratios[p][t] = got[p] / lb;
        makespan[p] += got[p];
      }
    }
    String[] names = {"lpt", "cost", "pull"};
    for (int p = 0; p < 3; p++) {
      double[] r = ratios[p].clone();
      Arrays.sort(r);
      System.out.println(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %.4f | %.4f | %.4f | %+.1f%% |",
              label,
              workers,
              names[p],
              Arrays.stream(r).average().orElse(0),
              r[(int) (0.95 * (r.length - 1))],
              r[r.length - 1],
              100 * (makespan[p] / makespan[0] - 1)));
    }
  }
}
