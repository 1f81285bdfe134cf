/** Multi-process cluster tests: real supervisor and worker JVMs on the loopback interface. */
package dev.vitrail.runtime.cluster;
