package dev.vitrail.actors.supervisor;

import java.util.Arrays;

/**
 * What each worker holds (items, patches, cost, wire bytes) and whether it may take more: the
 * per-worker credit of remote workers. Pure bookkeeping, owned by {@link Placement}.
 */
final class WorkerLoads {
  private final RemoteSettings remote;
  private double[] speeds;
  private double[] cost;
  private long[] patches;
  private long[] bytes;
  private int[] items;
  private boolean[] isRemote;
  private boolean[] retired;
  private boolean[] suspect;
  private long[] lastUsed;
  private long[] busySince;
  private long useClock;

  WorkerLoads(double[] localSpeeds, RemoteSettings remote) {
    this.remote = remote;
    int n = localSpeeds.length;
    this.speeds = localSpeeds.clone();
    this.cost = new double[n];
    this.patches = new long[n];
    this.bytes = new long[n];
    this.items = new int[n];
    this.isRemote = new boolean[n];
    this.retired = new boolean[n];
    this.suspect = new boolean[n];
    this.lastUsed = new long[n];
    this.busySince = new long[n];
  }

  /** Adds a remote worker; returns its index. */
  int addRemote(double speed) {
    int w = speeds.length;
    speeds = Arrays.copyOf(speeds, w + 1);
    speeds[w] = speed;
    cost = Arrays.copyOf(cost, w + 1);
    patches = Arrays.copyOf(patches, w + 1);
    bytes = Arrays.copyOf(bytes, w + 1);
    items = Arrays.copyOf(items, w + 1);
    isRemote = Arrays.copyOf(isRemote, w + 1);
    isRemote[w] = true;
    retired = Arrays.copyOf(retired, w + 1);
    suspect = Arrays.copyOf(suspect, w + 1);
    lastUsed = Arrays.copyOf(lastUsed, w + 1);
    busySince = Arrays.copyOf(busySince, w + 1);
    return w;
  }

  int size() {
    return speeds.length;
  }

  void retire(int w) {
    retired[w] = true;
  }

  boolean live(int w) {
    return !retired[w];
  }

  boolean remote(int w) {
    return isRemote[w];
  }

  int liveCount() {
    int n = 0;
    for (boolean r : retired) {
      n += r ? 0 : 1;
    }
    return n;
  }

  /**
   * Worker {@code w} may run {@code t} at all: live, not suspected of having gone silent, and (a
   * remote one) only if {@code t} fits one message.
   */
  boolean eligible(int w, Tracked t) {
    return !retired[w] && !suspect[w] && (!isRemote[w] || t.wireBytes <= remote.maxMessageBytes());
  }

  /** Marks worker {@code w} as silent with work outstanding (no new placements), or clears it. */
  void suspect(int w, boolean silent) {
    suspect[w] = silent;
  }

  boolean suspected(int w) {
    return suspect[w];
  }

  /** When worker {@code w} last went from holding nothing to holding something (nanoTime). */
  long busySince(int w) {
    return busySince[w];
  }

  /**
   * When each worker was last given an item, in use order (0 = never): ties between equally loaded
   * workers go to the least recently used one.
   */
  long[] usage() {
    return lastUsed.clone();
  }

  /** Worker {@code w} has credit for {@code t} now (local workers always do). */
  boolean credit(int w, Tracked t) {
    return !isRemote[w]
        || (items[w] < remote.maxItems()
            && (items[w] == 0 || bytes[w] + t.wireBytes <= remote.maxBytes()));
  }

  /** Finish time of {@code t} on {@code w} given what it holds: patches (lpt) or cost/speed. */
  double finish(int w, Tracked t, boolean byPatches) {
    return byPatches ? patches[w] + t.input.patchRows() : (cost[w] + t.cost) / speeds[w];
  }

  /** Items outstanding per unit speed (pull policy). */
  double queueDepth(int w) {
    return items[w] / speeds[w];
  }

  /**
   * The eligible worker with credit for {@code t} and fewer than {@code depth} items that has the
   * fewest items per unit speed (the pull policy), or -1.
   */
  int idlest(Tracked t, int depth) {
    int best = -1;
    for (int w = 0; w < size(); w++) {
      if (eligible(w, t)
          && items[w] < depth
          && credit(w, t)
          && (best < 0 || queueDepth(w) < queueDepth(best))) {
        best = w;
      }
    }
    return best;
  }

  int items(int w) {
    return items[w];
  }

  void add(int w, Tracked t, int sign) {
    if (sign > 0) {
      lastUsed[w] = ++useClock;
      if (items[w] == 0) {
        busySince[w] = System.nanoTime();
      }
    }
    cost[w] += sign * t.cost;
    patches[w] += sign * t.input.patchRows();
    bytes[w] += sign * t.wireBytes;
    items[w] += sign;
    if (items[w] == 0) {
      cost[w] = 0; // no rounding residue: idle workers tie exactly
    }
  }

  /** Items outstanding per worker. */
  int[] outstanding() {
    return items.clone();
  }
}
