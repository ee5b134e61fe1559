"""docker-py (Debian's python3-docker) against one engine: what a Python client does day to day.

Run by DockerPyIT with DOCKER_HOST set to the engine and REGISTRY_IMAGE naming an image the test
pushed to a local registry. Every call has a timeout; each step prints a line, and the script
ends with "docker-py: all checks passed" or a traceback and a non-zero exit.
"""
import json
import os
import shutil
import sys
import tempfile
import time

import docker

PREFIX = "dockerpy-it"


def step(name):
    print("step:", name, flush=True)


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def wait_until(what, predicate, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting for " + what)


def check_gone(get, name):
    try:
        get(name)
    except docker.errors.NotFound:
        return
    raise AssertionError(name + " is still there after its removal")


def raw_chunks_are_json(chunks, what):
    """docker-py without decode yields one HTTP chunk per item; callers json.loads each one."""
    items = []
    for chunk in chunks:
        items.append(json.loads(chunk))
    check(items, what + ": no messages")
    return items


def system(client):
    step("ping, version, info")
    check(client.ping() is True, "ping")
    version = client.version()
    check(version["ApiVersion"] and version["Os"] == "linux", "version: %r" % version)
    info = client.info()
    check("Containers" in info and "Images" in info, "info: %r" % info)


def containers(client):
    step("run to completion with remove=True returns the output")
    out = client.containers.run("busybox", ["echo", "hello from busybox"], remove=True)
    check(out == b"hello from busybox\n", "run output %r" % out)

    step("run detached, logs, exec_run, stats one-shot")
    c = client.containers.run("busybox", ["sh", "-c", "echo out; echo err >&2; sleep 120"],
                              detach=True, name=PREFIX + "-sleeper", labels={"it": "docker-py"})
    wait_until("logs", lambda: b"out" in c.logs() and b"err" in c.logs())
    check(c.logs(stdout=True, stderr=False) == b"out\n", "stdout only: %r" % c.logs(stderr=False))
    c.reload()
    check(c.status == "running", "status " + c.status)
    check(c.labels.get("it") == "docker-py", "labels %r" % c.labels)
    result = c.exec_run(["sh", "-c", "echo exec; exit 3"])
    check(result.exit_code == 3 and result.output == b"exec\n", "exec_run %r" % (result,))
    stats = c.stats(stream=False)
    check("memory_stats" in stats and "cpu_stats" in stats, "stats %r" % stats)
    stream = client.api.stats(c.id, stream=True, decode=False)
    first = json.loads(next(stream))
    check("cpu_stats" in first, "streamed stats %r" % first)
    stream.close()
    check(any(x.id == c.id for x in client.containers.list(filters={"label": "it=docker-py"})), "list by label")

    step("kill, wait, remove")
    c.kill()
    check(c.wait(timeout=30)["StatusCode"] == 137, "wait after kill")
    c.remove()
    check(not client.containers.list(all=True, filters={"name": PREFIX + "-sleeper"}), "removed")

    step("wait for an exit code")
    c = client.containers.run("busybox", ["sh", "-c", "exit 5"], detach=True)
    check(c.wait(timeout=30)["StatusCode"] == 5, "exit code")
    c.remove(force=True)


def images(client, registry_image):
    step("pull from the local registry, decoded and as raw chunks")
    repo, tag = registry_image.rsplit(":", 1)
    image = client.images.pull(repo, tag=tag)
    check(registry_image in image.tags, "pulled tags %r" % image.tags)
    raw = raw_chunks_are_json(client.api.pull(repo, tag=tag, stream=True), "pull")
    check(any("Image is up to date" in m.get("status", "") for m in raw), "pull messages %r" % raw)

    step("build from a small context with a decoded stream")
    context = tempfile.mkdtemp(prefix=PREFIX)
    try:
        with open(os.path.join(context, "Dockerfile"), "w") as f:
            f.write("FROM busybox\nCOPY hello.txt /hello.txt\nLABEL built-by=docker-py\n")
        with open(os.path.join(context, "hello.txt"), "w") as f:
            f.write("hello from the build context\n")
        built, logs = client.images.build(path=context, tag=PREFIX + "/built:v1", rm=True)
        logs = list(logs)
        check(any("Successfully built" in m.get("stream", "") for m in logs), "build log %r" % logs)
        check(built.labels.get("built-by") == "docker-py", "labels %r" % built.labels)
        decoded = list(client.api.build(path=context, tag=PREFIX + "/built:v2", decode=True))
        check(all(isinstance(m, dict) for m in decoded), "decoded build %r" % decoded)
        raw = raw_chunks_are_json(client.api.build(path=context, tag=PREFIX + "/built:v3"), "build")
        check(any("aux" in m for m in raw), "build aux %r" % raw)
    finally:
        shutil.rmtree(context)
    out = client.containers.run(PREFIX + "/built:v1", ["cat", "/hello.txt"], remove=True)
    check(out == b"hello from the build context\n", "built image content %r" % out)

    step("list, tag, remove")
    check(any(PREFIX + "/built:v1" in i.tags for i in client.images.list()), "list")
    check(built.tag(PREFIX + "/tagged", "v2") is True, "tag")
    check(PREFIX + "/tagged:v2" in client.images.get(built.id).tags, "tagged")
    for ref in (PREFIX + "/tagged:v2", PREFIX + "/built:v1", PREFIX + "/built:v2", PREFIX + "/built:v3"):
        client.images.remove(ref)
    check_gone(client.images.get, PREFIX + "/built:v1")


def volumes(client):
    step("volumes")
    v = client.volumes.create(name=PREFIX + "-vol", labels={"it": "docker-py"})
    check(client.volumes.get(PREFIX + "-vol").attrs["Labels"] == {"it": "docker-py"}, "volume labels")
    out = client.containers.run("busybox", ["sh", "-c", "echo kept > /data/f; cat /data/f"], remove=True,
                                volumes={PREFIX + "-vol": {"bind": "/data", "mode": "rw"}})
    check(out == b"kept\n", "volume write %r" % out)
    check(any(x.name == v.name for x in client.volumes.list(filters={"label": "it=docker-py"})), "volume list")
    v.remove()
    check_gone(client.volumes.get, PREFIX + "-vol")


def networks(client):
    step("networks")
    n = client.networks.create(PREFIX + "-net", driver="bridge", labels={"it": "docker-py"})
    c = client.containers.run("busybox", ["sleep", "120"], detach=True, name=PREFIX + "-netted")
    try:
        n.connect(c, aliases=["pyalias"])
        n.reload()
        check(c.id in [x.id for x in n.containers], "connected %r" % n.attrs)
        c.reload()
        check(PREFIX + "-net" in c.attrs["NetworkSettings"]["Networks"], "container networks")
        n.disconnect(c)
        n.reload()
        check(not n.containers, "disconnected")
        check(any(x.id == n.id for x in client.networks.list(names=[PREFIX + "-net"])), "network list")
    finally:
        c.remove(force=True)
    n.remove()


def events(client, since):
    step("events with filters, decoded and raw")
    until = time.time() + 1
    decoded = list(client.events(since=since, until=until, decode=True,
                                 filters={"type": "image", "event": "tag"}))
    check(any(e["Actor"]["Attributes"].get("name") == PREFIX + "/tagged:v2" for e in decoded), "tag event %r" % decoded)
    check(all(e["Type"] == "image" and e["Action"] == "tag" for e in decoded), "filtered %r" % decoded)
    raw = raw_chunks_are_json(client.events(since=since, until=until, filters={"container": PREFIX + "-sleeper"}),
                              "events")
    actions = [e["Action"] for e in raw]
    check("start" in actions and "die" in actions and "destroy" in actions, "container events %r" % actions)

    step("live events: a tag made after subscribing arrives")
    live_client = docker.DockerClient(base_url=os.environ["DOCKER_HOST"], timeout=30)
    try:
        live = live_client.events(decode=True, filters={"type": "image", "event": "tag"})
        client.images.get("busybox").tag(PREFIX + "/live", "now")
        event = next(live)
        check(event["Actor"]["Attributes"]["name"] == PREFIX + "/live:now", "live event %r" % event)
        live.close()
    finally:
        live_client.close()
    client.images.remove(PREFIX + "/live:now")


def main():
    registry_image = os.environ["REGISTRY_IMAGE"]
    print("docker-py", docker.__version__, "from", os.path.dirname(docker.__file__), flush=True)
    client = docker.DockerClient(base_url=os.environ["DOCKER_HOST"], timeout=120)
    since = time.time() - 1
    try:
        system(client)
        containers(client)
        images(client, registry_image)
        volumes(client)
        networks(client)
        events(client, since)
    finally:
        client.close()
    print("docker-py: all checks passed", flush=True)


if __name__ == "__main__":
    sys.exit(main())
