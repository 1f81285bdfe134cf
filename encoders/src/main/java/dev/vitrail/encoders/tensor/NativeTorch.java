package dev.vitrail.encoders.tensor;

import org.bytedeco.openblas.global.openblas;
import org.bytedeco.pytorch.global.torch;

/**
 * Loads libtorch robustly and sets its thread pools.
 *
 * <p>JavaCPP can pick up a system {@code libtorch_cpu.so} before extracting its own copy and crash
 * the JVM on a cold cache, so the bundled natives are extracted to the cache first. libtorch's
 * intra-op pool and OpenBLAS's pool must not both be larger than one (ViT forward becomes 50-90x
 * slower), so {@link #configureThreads} always leaves one of them at one. The extraction and
 * loading are {@code BundledNatives}', the pools {@code TorchThreads}'.
 *
 * <p>The BLAS library behind libtorch's float32 GEMMs is chosen before loading ({@link
 * #selectBlas}; without a call, {@code -Dvitrail.workers.blas}, then {@code VITRAIL_BLAS}, then
 * {@code auto}; see {@link BlasChoice}). The presets load MKL under OpenBLAS's name, so the choice
 * holds for the life of the process.
 */
public final class NativeTorch {
  private static volatile boolean loaded;
  private static volatile boolean cudaNatives;
  private static String blasSetting;
  private static volatile BlasLibrary blas;

  private NativeTorch() {}

  /**
   * Chooses the BLAS library ({@code auto}, {@code openblas} or {@code mkl}) for when libtorch is
   * loaded. Once it is loaded, a setting that names another library than the one in use is an error
   * ({@code auto} accepts the library in use).
   */
  public static synchronized void selectBlas(String setting) {
    if (!BlasChoice.SETTINGS.contains(setting)) {
      throw new IllegalArgumentException(
          "vitrail.workers.blas must be one of " + BlasChoice.SETTINGS + ", got '" + setting + "'");
    }
    if (loaded) {
      if (setting.equals("auto")) {
        return;
      }
      // Loaded early (loadInBackground): a setting the build cannot honour is the same error.
      BlasLibrary wanted =
          BlasChoice.resolve(
              setting,
              BlasLibrary.mklAvailable(),
              () -> {
                throw new IllegalStateException("no BLAS probe for an explicit setting");
              });
      if (wanted != blas) {
        throw new IllegalStateException(
            "libtorch is already loaded with "
                + blas.settingName()
                + "; vitrail.workers.blas = "
                + setting
                + " must be chosen before the first tower is opened");
      }
      return;
    }
    blasSetting = setting;
  }

  /**
   * Starts {@link #load} on a daemon thread and returns at once, so that the ~2 s of CPU that
   * loading libtorch takes (mostly JavaCPP loading and linking some 1,700 preset classes, then
   * libtorch's operator registration) runs while the caller parses its command line, reads its
   * settings and decodes its inputs; the caller's own {@link #load} waits for it. Only when the
   * choice of BLAS cannot depend on settings the caller has not read yet, i.e. when the MKL natives
   * are absent (the default build; {@code auto} and {@code openblas} both mean OpenBLAS then, and
   * {@code mkl} is still refused by {@link #selectBlas}). A failure here is not reported: the next
   * {@link #load} tries again and throws.
   */
  public static void loadInBackground() {
    if (loaded || BlasLibrary.mklAvailable()) {
      return;
    }
    Thread t =
        new Thread(
            () -> {
              try {
                load();
              } catch (RuntimeException | LinkageError e) {
                // the caller's own load() reports it
              }
            },
            "libtorch-load");
    t.setDaemon(true);
    t.start();
  }

  /** The BLAS library in use (loading libtorch first if needed). */
  public static BlasLibrary blas() {
    load();
    return blas;
  }

  private static String blasSetting() {
    if (blasSetting != null) {
      return blasSetting;
    }
    String p = System.getProperty("vitrail.workers.blas");
    if (p == null || p.isBlank()) {
      p = System.getenv("VITRAIL_BLAS");
    }
    return p == null || p.isBlank() ? "auto" : p.trim();
  }

  /**
   * Extracts and loads libtorch and the chosen BLAS library once per JVM; later calls return at
   * once. The BLAS library is left at one thread (libtorch keeps its default pool) until {@link
   * #configureThreads} says otherwise.
   */
  public static void load() {
    if (loaded) {
      return;
    }
    synchronized (NativeTorch.class) {
      if (loaded) {
        return;
      }
      BlasLibrary library =
          BlasChoice.resolve(blasSetting(), BlasLibrary.mklAvailable(), BlasProbe::rates);
      cudaNatives = BundledNatives.extract(library);
      BundledNatives.load(cudaNatives);
      // Safe default until configureThreads is called: never two pools larger than one.
      openblas.blas_set_num_threads(1);
      blas = library;
      loaded = true;
    }
  }

  /** Whether the loaded libtorch is the CUDA build ({@code -Pgpu}); false before {@link #load}. */
  public static boolean cudaNatives() {
    return cudaNatives;
  }

  /**
   * Sets the thread pools: {@code torchThreads} libtorch intra-op threads and {@code blasThreads}
   * OpenBLAS threads; at least one of them must be 1.
   */
  public static void configureThreads(int torchThreads, int blasThreads) {
    TorchThreads.check(torchThreads, blasThreads);
    load();
    TorchThreads.configure(torchThreads, blasThreads);
  }

  /**
   * Whether {@link #configureThreads} gave the process a wide libtorch intra-op pool and a
   * single-thread BLAS library: then float32 GEMMs through BLAS would run on one core while
   * oneDNN's run on the intra-op pool (see {@link ComputeTarget#of}). False until configured.
   */
  public static boolean intraOpPoolWide() {
    return TorchThreads.intraOpPoolWide();
  }

  /**
   * Sets OpenBLAS's thread count for the whole process (one wide call of {@code
   * vitrail.workers.layout = auto}; only while no other worker runs, and libtorch's intra-op pool
   * of the calling thread is 1).
   */
  public static void setBlasThreads(int threads) {
    load();
    openblas.blas_set_num_threads(threads);
  }

  /**
   * Sets libtorch's intra-op thread count of the calling thread (OpenMP's per-thread setting; one
   * wide call of {@code vitrail.workers.layout = auto} with bf16/f16/int8, while OpenBLAS is at 1).
   */
  public static void setCallerTorchThreads(int threads) {
    load();
    torch.set_num_threads(threads);
  }

  /** libtorch's intra-op thread count of the calling thread. */
  public static int callerTorchThreads() {
    load();
    return torch.get_num_threads();
  }

  /**
   * The libtorch intra-op threads {@link #configureThreads} set, or 0 before it was called (a tower
   * split across cores runs one shard per thread).
   */
  public static int configuredTorchThreads() {
    return TorchThreads.configuredTorchThreads();
  }

  /** The OpenBLAS threads {@link #configureThreads} set, or 0 before it was called. */
  public static int configuredBlasThreads() {
    return TorchThreads.configuredBlasThreads();
  }

  /**
   * Hands freed native heap memory back to the system ({@code malloc_trim}): converting weights at
   * load (bf16, int8) frees full-size float32 temporaries that glibc would otherwise keep.
   */
  public static void trimHeap() {
    org.bytedeco.javacpp.Pointer.trimMemory();
  }
}
