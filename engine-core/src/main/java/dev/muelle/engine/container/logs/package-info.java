/**
 * Container logs as conmon writes them (the CRI "k8s-file" format, one file per container) and as
 * Docker's API serves them: {@link dev.muelle.engine.container.logs.LogReader} turns the file into
 * lines for {@code docker logs} (tail, since/until, follow), and
 * {@link dev.muelle.engine.container.logs.StdStreamFrames} frames them for a client without a tty.
 */
package dev.muelle.engine.container.logs;
