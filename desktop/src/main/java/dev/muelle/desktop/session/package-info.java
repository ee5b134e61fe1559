/**
 * The connection to one engine as the whole app sees it: which endpoint, whether it answers, what
 * it reports about itself, and its event stream fanned out to the feature view-models. Also how
 * the desktop starts Muelle's engine when none answers.
 */
package dev.muelle.desktop.session;
