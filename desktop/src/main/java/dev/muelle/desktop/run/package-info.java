/**
 * The Run dialog, opened from an image: a form for what {@code docker run} can ask (name, command,
 * ports, volumes, environment, limits, restart policy, network, interactive/TTY), validated before
 * anything is sent, with the equivalent {@code docker run} command shown as the user types.
 */
package dev.muelle.desktop.run;
