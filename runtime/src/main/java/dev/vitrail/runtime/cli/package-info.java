/** The {@code vitrail} command line: encode, serve, video and bench. */
package dev.vitrail.runtime.cli;
