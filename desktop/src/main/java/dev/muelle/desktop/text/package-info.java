/**
 * Text as the desktop shows it: sizes and ages written like the docker CLI writes them, and
 * terminal output with ANSI colour codes split into styled runs. Toolkit-free.
 */
package dev.muelle.desktop.text;
