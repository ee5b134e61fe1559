# Shared by the bench scripts: start and stop the reference dockerd and Muelle side by side in
# one scratch dir, talk to them with the stock CLI, and time things. The sourcing script sets
# repo (the checkout), scratch (its scratch dir) and `declare -A pid sock` before sourcing it;
# sourcing it arms `cleanup` on exit (engines, their containers and mounts, and every process
# whose argv names the scratch dir, e.g. a registry configured there).

log() { printf 'bench: %s\n' "$*" >&2; }

cleanup() {
  local e
  for e in mu ref; do
    [[ -n ${sock[$e]:-} && -S ${sock[$e]} ]] && remove_all_containers "$e" || true
    [[ -n ${pid[$e]:-} ]] && stop_engine "$e" || true
  done
  # Monitors and daemons started here name the scratch dir in their argv.
  local p
  for p in $(pgrep -f "$scratch/" || true); do kill -9 "$p" 2>/dev/null || true; done
  { grep -o " $scratch/[^ ]*" /proc/self/mountinfo || true; } | sort -r |
    while read -r m; do umount -l "$m" 2>/dev/null || true; done
  rm -rf "$scratch" || true
}
trap cleanup EXIT

docker_on() { local e=$1; shift; DOCKER_HOST=unix://${sock[$e]} DOCKER_CLI_HINTS=false docker "$@"; }

ping_ok() { [[ $(curl -s --max-time 2 --unix-socket "$1" http://localhost/_ping 2>/dev/null) == OK ]]; }

await_engine() { # ENGINE -> 0 when it answers within 60 s
  local e=$1 i
  for ((i = 0; i < 600; i++)); do
    ping_ok "${sock[$e]}" && return 0
    kill -0 "${pid[$e]}" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

start_dockerd() {
  local d=$scratch/ref
  command -v dockerd >/dev/null || { echo "no dockerd here: install docker.io (./muelle bench does)" >&2; return 1; }
  mkdir -p "$d"
  sock[ref]=$d/docker.sock
  dockerd --host "unix://${sock[ref]}" --data-root "$d/data" --exec-root "$d/exec" \
    --pidfile "$d/dockerd.pid" >"$d/log" 2>&1 &
  pid[ref]=$!
  await_engine ref || { tail -n 20 "$d/log" >&2; unset 'pid[ref]'; return 1; }
}

start_muelle() {
  local d=$scratch/mu
  mkdir -p "$d"
  sock[mu]=$d/muelle.sock
  if [[ ! -d $repo/engine-core/target/lib ]]; then
    (cd "$repo" && mvn -q -B -DskipTests package) >&2 || return 1
  fi
  "$repo/engine-core/bin/muelled" \
    --host "unix://${sock[mu]}" --data-root "$d/data" --exec-root "$d/exec" >"$d/log" 2>&1 &
  pid[mu]=$!
  await_engine mu || { tail -n 20 "$d/log" >&2; kill -9 "${pid[mu]}" 2>/dev/null || true; unset 'pid[mu]'; return 1; }
}

stop_engine() {
  local e=$1 i
  kill -TERM "${pid[$e]}" 2>/dev/null || return 0
  for ((i = 0; i < 300; i++)); do kill -0 "${pid[$e]}" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "${pid[$e]}" 2>/dev/null || true
}

remove_all_containers() {
  local ids
  ids=$(docker_on "$1" ps -aq 2>/dev/null) || return 0
  [[ -z $ids ]] || docker_on "$1" rm -f $ids >/dev/null 2>&1 || true
}

now_ns() { date +%s%N; }
seconds_since() { awk -v a="$1" -v b="$(now_ns)" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
