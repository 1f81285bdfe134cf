package dev.vitrail.actors.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.encoders.tensor.OutOfMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Split-and-retry on device out-of-memory, with sizes standing for items and a fake device. */
class OomSplitTest {
  private final List<Integer> calls = new ArrayList<>();
  private final AtomicInteger releases = new AtomicInteger();

  /** A device holding {@code capacity} units; each item is its own size. */
  private OomSplit<Integer, String> device(int capacity) {
    return new OomSplit<>(
        batch -> {
          calls.add(batch.size());
          if (batch.stream().mapToInt(Integer::intValue).sum() > capacity) {
            throw new RuntimeException(OomTower.MESSAGE);
          }
          return batch.stream().map(i -> "f" + i).toList();
        },
        OutOfMemory::is,
        releases::incrementAndGet,
        i -> i);
  }

  @Test
  void aBatchThatFitsRunsOnce() {
    OomSplit.Result<String> r = device(100).run(List.of(10, 20, 30));
    assertEquals(List.of("f10", "f20", "f30"), r.outputs());
    assertEquals(0, r.splits());
    assertEquals(List.of(3), calls);
    assertEquals(0, releases.get());
  }

  @Test
  void anOversizedBatchIsHalvedUntilEachPartFits() {
    OomSplit.Result<String> r = device(25).run(List.of(10, 10, 10, 10, 10, 10, 10, 10));
    assertEquals(List.of("f10", "f10", "f10", "f10", "f10", "f10", "f10", "f10"), r.outputs());
    r.errors().forEach(e -> assertNull(e));
    // 8 -> 4 + 4 -> (2 + 2) + (2 + 2): three splits, every part of 2 fits
    assertEquals(List.of(8, 4, 2, 2, 4, 2, 2), calls);
    assertEquals(3, r.splits());
    assertEquals(3, releases.get(), "memory released before every retry");
  }

  @Test
  void anItemTooLargeAloneFailsAloneAndTheOthersKeepTheirOrder() {
    OomSplit.Result<String> r = device(50).run(List.of(5, 70, 6, 7));
    assertEquals("f5", r.outputs().get(0));
    assertNull(r.outputs().get(1));
    assertEquals("f6", r.outputs().get(2));
    assertEquals("f7", r.outputs().get(3));
    String error = r.errors().get(1);
    assertTrue(
        error.startsWith("out of device memory encoding this item alone (70 patches): CUDA out"),
        error);
    assertTrue(!error.contains("\n"), "one line: " + error);
    assertNull(r.errors().get(0));
    assertNull(r.errors().get(2));
    assertNull(r.errors().get(3));
  }

  @Test
  void otherErrorsPropagate() {
    IllegalStateException broken = new IllegalStateException("weights corrupted");
    OomSplit<Integer, String> split =
        new OomSplit<>(
            b -> {
              throw broken;
            },
            OutOfMemory::is,
            releases::incrementAndGet,
            i -> i);
    assertSame(broken, assertThrows(IllegalStateException.class, () -> split.run(List.of(1, 2))));
    assertEquals(0, releases.get());
  }

  @Test
  void outOfMemoryShapes() {
    assertTrue(OutOfMemory.is(new RuntimeException(OomTower.MESSAGE)));
    assertTrue(
        OutOfMemory.is(new RuntimeException("wrapped", new RuntimeException(OomTower.MESSAGE))));
    assertTrue(
        OutOfMemory.is(
            new RuntimeException(
                "[enforce fail at alloc_cpu.cpp:117] DefaultCPUAllocator: can't"
                    + " allocate memory: you tried to allocate 1099511627776 bytes")));
    assertTrue(!OutOfMemory.is(new RuntimeException("shape mismatch")));
    assertTrue(!OutOfMemory.is(new OutOfMemoryError("Java heap space")));
  }
}
