/**
 * Running engine calls off the UI thread, JabRef style: a {@link dev.muelle.desktop.task.BackgroundTask}
 * describes the work and its callbacks, a {@link dev.muelle.desktop.task.TaskExecutor} runs the work
 * on a worker thread and the callbacks on the UI thread. Nothing here knows the UI toolkit: the
 * app hands the executor {@code Platform::runLater}, view-model tests run everything inline.
 */
package dev.muelle.desktop.task;
