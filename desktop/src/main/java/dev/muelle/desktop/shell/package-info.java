/**
 * The window around the features: left navigation, the page area, the engine footer, the
 * "engine unreachable" page, notifications, themes, keyboard shortcuts and the tray icon.
 */
package dev.muelle.desktop.shell;
