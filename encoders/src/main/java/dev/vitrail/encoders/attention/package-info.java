/** Which attention kernel a vision tower uses: override, environment, then platform default. */
package dev.vitrail.encoders.attention;
