/** What users touch: embedded API, streams, HTTP server, CLI, video and cluster bootstrap. */
package dev.vitrail.runtime;
