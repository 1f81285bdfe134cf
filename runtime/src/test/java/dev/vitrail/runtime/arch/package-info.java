/** The architecture rules the build checks (ArchUnit). */
package dev.vitrail.runtime.arch;
