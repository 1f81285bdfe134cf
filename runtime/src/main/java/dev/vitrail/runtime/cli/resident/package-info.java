/**
 * The resident JVM behind {@code vitrail encode}: a JVM that stays up between commands, with
 * libtorch loaded and its classes compiled, so that later commands skip the start-up. The launcher
 * runs {@link dev.vitrail.runtime.cli.resident.ResidentClient}, a small JVM that finds (or starts)
 * the resident JVM made for the same JVM command, folder and environment, hands it the command
 * line, and relays its output and exit status. Nothing here depends on the commands themselves.
 */
package dev.vitrail.runtime.cli.resident;
