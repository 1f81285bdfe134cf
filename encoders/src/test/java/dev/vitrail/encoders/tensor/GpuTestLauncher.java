package dev.vitrail.encoders.tensor;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import java.util.Arrays;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs test classes by name without Maven, for {@code bench/gpu-check.sh} on a GPU machine that has
 * only the payload's JRE: {@code java -cp ... GpuTestLauncher CLASS...}. Prints JUnit's summary
 * (failures with their stack traces) and exits 0 only when every test passed; a skipped test (no
 * device) counts as not passed, since on the GPU machine a skip means the device was not found.
 */
public final class GpuTestLauncher {
  private GpuTestLauncher() {}

  public static void main(String[] classes) {
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(Arrays.stream(classes).map(c -> selectClass(c)).toList())
            .build();
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    launcher.execute(request, listener);
    TestExecutionSummary summary = listener.getSummary();
    PrintWriter out = new PrintWriter(System.out, true);
    summary.printTo(out);
    summary.printFailuresTo(out, 30);
    boolean requireAll = !Boolean.getBoolean("vitrail.gpu.allowSkips");
    long skipped = summary.getTestsSkippedCount() + summary.getTestsAbortedCount();
    out.printf(
        "GPU-TESTS found=%d succeeded=%d failed=%d skipped=%d%n",
        summary.getTestsFoundCount(),
        summary.getTestsSucceededCount(),
        summary.getTestsFailedCount(),
        skipped);
    boolean ok =
        summary.getTestsFailedCount() == 0
            && summary.getTestsFoundCount() > 0
            && (!requireAll || skipped == 0);
    System.exit(ok ? 0 : 1);
  }
}
