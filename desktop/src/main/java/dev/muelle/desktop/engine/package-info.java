/**
 * How the desktop talks to a Docker-API engine: the {@link dev.muelle.desktop.engine.EngineClient}
 * interface and its value types (records), the docker-java implementation, and the ranked
 * strategies that find an engine socket.
 *
 * <p>Everything above this package (view-models, views) sees only {@code EngineClient} and these
 * records: no docker-java type leaks out, so view-models are tested against a fake client and the
 * desktop can point at any Docker-compatible socket. This package knows no UI toolkit.
 */
package dev.muelle.desktop.engine;
