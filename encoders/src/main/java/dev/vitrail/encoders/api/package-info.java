/** The contract between vision towers and the runtime: heap inputs in, heap features out. */
package dev.vitrail.encoders.api;
