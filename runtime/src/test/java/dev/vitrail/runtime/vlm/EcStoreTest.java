package dev.vitrail.runtime.vlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encoder-cache file: format, atomicity, concurrency and failures leave nothing partial. */
class EcStoreTest {
  private static final String KEY = "0123456789abcdef";
  @TempDir Path tmp;

  static float[] values(int n, long seed) {
    Random r = new Random(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian() * 3;
    }
    return v;
  }

  private EcStore store(EcIo io) {
    return EcStore.open(tmp.resolve("ec"), 0, Duration.ZERO, io, Clock.systemUTC());
  }

  @Test
  void oneTensorEcCacheOfTheConsumerShapeAndDtype() throws IOException {
    float[] v = values(7 * 48, 1);
    for (EcDtype d : EcDtype.values()) {
      Path file = store(EcIo.files()).write(KEY + d.label(), 7, 48, d, v);
      assertEquals(
          tmp.resolve("ec").resolve(KEY + d.label()).resolve("encoder_cache.safetensors"), file);
      EcFiles.Tensor t = EcFiles.read(file);
      assertEquals(d.safetensorsName(), t.entry().dtype());
      assertArrayEquals(new long[] {7, 48}, t.entry().shape());
      assertArrayEquals(d.encode(v), t.data());
    }
    assertEquals(
        3, EcFiles.all(tmp.resolve("ec")).size() / 2, "one directory and one file per key");
  }

  @Test
  void aCrashBeforeTheRenameLeavesNoVisibleFile() throws IOException {
    EcIo crashing =
        new EcIo() {
          @Override
          public OutputStream create(Path temp) throws IOException {
            return EcIo.files().create(temp);
          }

          @Override
          public void publish(Path temp, Path target) throws IOException {
            assertTrue(Files.size(temp) > 0, "the data was written before the crash");
            throw new IOException("simulated crash before rename");
          }
        };
    EcStore s = store(crashing);
    EcStorageException e =
        assertThrows(
            EcStorageException.class, () -> s.write(KEY, 2, 3, EcDtype.BF16, values(6, 2)));
    assertTrue(e.getMessage().contains("simulated crash"), e.getMessage());
    assertFalse(Files.exists(s.path(KEY)));
    assertFalse(s.contains(KEY));
    assertEquals(List.of(), EcFiles.all(s.root()), "no temporary file or empty directory left");
  }

  @Test
  void aDeadWritersTemporaryFileIsInvisibleAndSweptAfterTheGrace() throws IOException {
    EcStore s = store(EcIo.files());
    Path dir = Files.createDirectories(s.root().resolve(KEY));
    Path temp = Files.write(dir.resolve(".encoder_cache.dead.tmp"), new byte[] {1, 2, 3});
    assertFalse(s.contains(KEY));
    s.eviction().sweep();
    assertTrue(Files.exists(temp), "a fresh temporary file may belong to a live writer");
    Files.setLastModifiedTime(
        temp,
        java.nio.file.attribute.FileTime.fromMillis(
            System.currentTimeMillis() - EcEviction.TEMP_GRACE.toMillis() - 1000));
    s.eviction().sweep();
    assertFalse(Files.exists(temp));
  }

  @Test
  void concurrentWritersOfOneKeyLeaveOneValidFile() throws Exception {
    EcStore s = store(EcIo.files());
    float[] v = values(64 * 48, 3);
    int writers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Path>> done = new ArrayList<>();
      for (int i = 0; i < writers * 4; i++) {
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  return s.write(KEY, 64, 48, EcDtype.BF16, v);
                }));
      }
      start.countDown();
      for (Future<Path> f : done) {
        assertEquals(s.path(KEY), f.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    assertArrayEquals(EcDtype.BF16.encode(v), EcFiles.read(s.path(KEY)).data());
    assertEquals(List.of(s.root().resolve(KEY), s.path(KEY)), EcFiles.all(s.root()));
  }

  @Test
  void anUnwritableDirectoryIsAClearError() throws IOException {
    Path notADir = Files.writeString(tmp.resolve("plain-file"), "x");
    EcStorageException e =
        assertThrows(
            EcStorageException.class,
            () ->
                EcStore.open(
                    notADir.resolve("ec"), 0, Duration.ZERO, EcIo.files(), Clock.systemUTC()));
    assertTrue(e.getMessage().contains("cannot be created"), e.getMessage());
  }

  @Test
  void aFullDiskIsAClearErrorAndLeavesNothing() throws IOException {
    EcIo full =
        new EcIo() {
          @Override
          public OutputStream create(Path temp) throws IOException {
            return new FilterOutputStream(EcIo.files().create(temp)) {
              long written;

              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                if (written + len > 1000) {
                  throw new IOException("No space left on device");
                }
                written += len;
                out.write(b, off, len);
              }
            };
          }

          @Override
          public void publish(Path temp, Path target) throws IOException {
            EcIo.files().publish(temp, target);
          }
        };
    EcStore s = store(full);
    EcStorageException e =
        assertThrows(
            EcStorageException.class, () -> s.write(KEY, 100, 48, EcDtype.F32, values(4800, 4)));
    assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
    assertTrue(e.getMessage().contains(KEY), e.getMessage());
    assertEquals(List.of(), EcFiles.all(s.root()));
    Path small = s.write("other", 2, 2, EcDtype.F32, values(4, 5));
    assertTrue(Files.isRegularFile(small), "the store still works once space is back");
  }

  @Test
  void badKeysAndShapesAreRefused() {
    EcStore s = store(EcIo.files());
    for (String bad : new String[] {"", "a/b", "..", ".hidden", "x".repeat(201), "a b"}) {
      assertThrows(IllegalArgumentException.class, () -> s.path(bad), bad);
    }
    assertThrows(
        IllegalArgumentException.class, () -> s.write(KEY, 2, 2, EcDtype.F32, new float[3]));
  }
}
