/**
 * Where the engine keeps its state: the data-root tree on disk and the SQLite metadata schema.
 * Change this description together with a migration in {@link dev.muelle.engine.store.Migrations}.
 *
 * <h2>Data root</h2>
 * <pre>
 * &lt;data-root&gt;/
 *   muelle.db                       SQLite metadata (WAL), schema below
 *   image/                          owned by dev.muelle.engine.image
 *     blobs/sha256/&lt;hex&gt;           content-addressed blobs: image configs (an image ID is the
 *                                   sha256 of its config), layer tars as delivered (gzip/zstd/
 *                                   plain, as pulled or loaded; pushed back as they are); a file
 *                                   there always hashes to its name. A pull commits each layer
 *                                   blob once verified, before its image is recorded, so a pull
 *                                   cut short leaves blobs the next pull reuses (not downloaded);
 *                                   image prune deletes unreferenced ones older than the engine
 *     blobs/ingest/&lt;random&gt;        blobs being written (downloads, loads); removed at startup
 *     layers/&lt;chain-id-hex&gt;/diff    one unpacked layer each, in overlayfs lower-dir form
 *                                   (whiteouts are char devices 0:0, opaque dirs carry
 *                                   trusted.overlay.opaque=y); never changed once visible
 *     layers/.tmp-&lt;random&gt;/        layers being unpacked or deleted; removed at startup
 *   tmp/                            owned by dev.muelle.engine.build and container export:
 *     contexts/tree-&lt;random&gt;/      unpacked build contexts, kept (up to 2) between builds and
 *                                   updated in place from the next context; removed at startup
 *     build-containers/&lt;id&gt;         one empty file per RUN container while it exists; ones
 *                                   left by a killed engine are force-removed at startup
 *     view-&lt;random&gt;/               read-only overlay views of image layers (COPY --from,
 *                                   export); unmounted and removed after use
 *   volumes/&lt;name&gt;/_data           owned by dev.muelle.engine.volume: a volume's files (what
 *                                   containers mount and the file API serves); tmpfs and bind
 *                                   volumes (driver options) are mounted here while in use
 *   certs.d/&lt;host:port&gt;/*.crt      CA certificates for a registry (Docker's certs.d layout;
 *                                   --registry-certs-dir moves it; /etc/docker/certs.d is read
 *                                   after it). A registry with a CA here is verified, never
 *                                   reached over plain HTTP, even on loopback
 *   engine.lock                     held by the running engine: one engine per data root
 *   containers/&lt;id&gt;/               owned by dev.muelle.engine.container
 *     hostname, hosts, resolv.conf  bind-mounted over the container's /etc files
 *     &lt;id&gt;-json.log                 stdout/stderr, written by conmon in CRI (k8s-file) form:
 *                                   "&lt;RFC3339Nano&gt; stdout|stderr F|P &lt;text&gt;" per line
 *     bundle/config.json            the OCI runtime bundle, rewritten at every start; conmon's
 *                                   attach socket and ctl/winsz FIFOs live beside it while it runs
 *     overlay/upper, work, merged   the container's writable layer and its mounted rootfs
 *                                   (dev.muelle.engine.image.Snapshotter)
 *     overlay/empty                 the lone lower dir of an image without layers
 * &lt;exec-root&gt;/ (default /run/muelle: gone after a reboot, like the processes it describes)
 *   runc/                           runc's state (--root)
 *   c/&lt;id&gt;/                        conmon's pid files, exit and oom files (persist dir)
 *   exits/&lt;id&gt;                     exit code files, watched by the engine
 *   a/&lt;short-id&gt;                   short links to attach socket dirs (unix paths &lt; 108 bytes)
 *   netns/&lt;id&gt;                     a running container's network namespace, bind-mounted on the
 *                                   file (dev.muelle.engine.network.NetnsManager); runc joins it
 *   netavark/aardvark-dns/          aardvark-dns's per-network name files and pid (netavark --config);
 *                                   with the namespaces and netavark's iptables rules it outlives
 *                                   the engine, so running containers keep their network
 * </pre>
 *
 * <h2>Schema</h2>
 * <pre>
 * containers(id PK, name UNIQUE, created, record)   one JSON document per container: the
 *     inspect view (Config, HostConfig, State ...) plus HasBeenManuallyStopped and CgroupsPath
 * images(id PK, parent, size, stored, last_tag_time)
 *     id = "sha256:" + sha256(config blob); the config blob holds everything else (layers are its
 *     rootfs.diff_ids); parent is set only for images built here; size = sum of layer sizes
 * image_refs(ref PK, image_id -&gt; images ON DELETE CASCADE, created)
 *     ref is canonical: "docker.io/library/busybox:latest" or "name@sha256:…"; one image per ref
 * layers(chain_id PK, diff_id, parent, size, blob, refcount)
 *     refcount = images whose stack contains the layer + container snapshots over it; a layer at
 *     zero is deleted (directory first, then the row, then its blob if no other layer uses it).
 *     At start-up ImageService.recover() recounts from images and snapshots, so layers a pull or
 *     load unpacked before being killed (its image never recorded) are removed then
 * image_refs also holds the digests pulled or pushed ("host/app@sha256:…": RepoDigests)
 * snapshots(container_id PK, image_id, layers)
 *     layers: the chain IDs (bottom first, space separated) the snapshot holds references on,
 *     kept here so a force-removed image's layers stay until the container goes
 * build_cache(key PK, image_id, created)
 *     the classic builder's step cache: key = sha256 of parent image, instruction, the args and
 *     env it sees and the files it reads; an entry whose image is gone counts as a miss
 * volumes(name PK, driver, created, labels, options)
 *     labels/options: JSON objects (options "null" when none); anonymous volumes carry the label
 *     com.docker.volume.anonymous; users are found from containers' Mounts, not stored here
 * networks(id PK, name, created, record)
 *     record: the JSON of dev.muelle.engine.network.Network (subnet, gateway, bridge name, labels,
 *     options); names are not unique (API &lt; 1.44 without CheckDuplicate may repeat them);
 *     bridge, host and none are rows too, made at first start, so their IDs stay stable
 * endpoints(container_id, network_id -&gt; networks, record; PK both)
 *     a container's membership of a network (aliases, requested --ip); the address, MAC and
 *     endpoint ID are set only while the container runs
 * sandboxes(container_id PK, record)
 *     a running container's network namespace path and allocated published ports; the engine
 *     re-reads them at start to know which host ports are taken and what to tear down
 * </pre>
 */
package dev.muelle.engine.store;
