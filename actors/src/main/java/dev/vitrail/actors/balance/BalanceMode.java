package dev.vitrail.actors.balance;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the supervisor spreads items over workers as they arrive ({@code vitrail.balance.policy}).
 * These act online, on the workers' credits and speeds, so they are modes rather than {@link
 * dev.vitrail.encoders.sharding.BalancePolicy}s: {@code LPT} applies that interface's {@code VLLM}
 * rule item by item.
 */
public enum BalanceMode {
  /** vLLM's {@code get_load_balance_assignment} on patch counts, over each micro-batch. */
  LPT,
  /** Greedy plus local search on the cost model and the workers' speeds, over each micro-batch. */
  COST,
  /** Idle workers take the next item, costliest first. */
  PULL;

  /** Parses a setting value ({@code lpt}, {@code cost}, {@code pull}). */
  public static BalanceMode parse(String name) {
    for (BalanceMode p : values()) {
      if (p.name().toLowerCase(Locale.ROOT).equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown balance policy '"
            + name
            + "', expected one of "
            + Arrays.toString(
                Arrays.stream(values()).map(p -> p.name().toLowerCase(Locale.ROOT)).toArray()));
  }
}
