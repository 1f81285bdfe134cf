/** Pekko Streams flows over Vitrail whose demand reaches back to the source. */
package dev.vitrail.runtime.stream;
