package dev.vitrail.actors.supervisor;

/**
 * One worker as the supervisor sees it.
 *
 * @param label {@code local/N} for a local worker, {@code HOST:PORT/NAME} for a remote one
 * @param live false once a remote worker left (its index is never reused)
 * @param outstanding items sent to it and not yet answered
 * @param latencyMillis moving average of send-to-answer time of its items (0 before the first)
 * @param completed items it encoded
 * @param answerGapMillis how long it usually goes without answering while busy (about one tower
 *     call; 0 before the first answer); a remote worker silent for a few of these is hedged
 * @param suspected a remote worker that went silent while holding items: it takes no new items and
 *     its items are hedged
 */
public record WorkerStat(
    String label,
    boolean live,
    int outstanding,
    double latencyMillis,
    long completed,
    double answerGapMillis,
    boolean suspected) {}
