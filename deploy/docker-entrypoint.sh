#!/bin/sh
# Entry point of the ShelfWatch image: runs one process, chosen by the first argument or SHELFWATCH_SERVICE.
# `exec` replaces this shell, so the process gets the container's signals (SIGTERM -> graceful shutdown).
set -eu
cd "${SHELFWATCH_HOME:-/app}"

# V8 sizes its heap from all the memory it sees (the container's limit, as if nothing else needed any): it then
# collects lazily, and a long CSV export or a burst of events takes the container to its limit and the OOM killer.
# Unless NODE_OPTIONS sets the heap itself, a service's old space gets NODE_HEAP_PERCENT (default 60) of the cgroup
# memory limit; the rest is for buffers, code and stacks. No limit (or an unreadable one): V8's own default.
heap_option() {
  case " ${NODE_OPTIONS:-} " in
    *--max-old-space-size*) return 0 ;;
  esac
  dir="${SHELFWATCH_CGROUP_DIR:-/sys/fs/cgroup}"
  limit=""
  if [ -r "$dir/memory.max" ]; then
    limit="$(cat "$dir/memory.max")"
  elif [ -r "$dir/memory/memory.limit_in_bytes" ]; then
    limit="$(cat "$dir/memory/memory.limit_in_bytes")"
  fi
  case "$limit" in
    '' | max | *[!0-9]*) return 0 ;;
  esac
  mib=$((limit / 1048576))
  # cgroup v1 writes "no limit" as a number near 2^63.
  if [ "$mib" -lt 64 ] || [ "$mib" -gt 1048576 ]; then return 0; fi
  echo "--max-old-space-size=$((mib * ${NODE_HEAP_PERCENT:-60} / 100))"
}

target="${1:-${SHELFWATCH_SERVICE:-}}"
if [ "$#" -gt 0 ]; then shift; fi

case "$target" in
  gateway | crawler | ranking | alerting | reporting | retention | health)
    heap="$(heap_option)"
    # shellcheck disable=SC2086 # $heap is one option or nothing
    exec node $heap --require ./dist/libs/observability/src/preload.js "dist/services/$target/src/main.js" "$@"
    ;;
  sim)
    exec node dist/tools/marketplace-sim/src/main.js "$@"
    ;;
  migrate)
    # Every service's migrations, or the services named after it (production: one service per DATABASE_URL).
    exec node dist/tools/cli/migrate.js "$@"
    ;;
  provision)
    exec node dist/tools/cli/provision.js "$@"
    ;;
  wait-for-setup)
    # Kubernetes init container: returns once the service named after it is migrated and its consumers exist.
    exec node dist/tools/cli/wait-for-setup.js "$@"
    ;;
  setup)
    # The one-shot job of docker compose: migrations, then streams and consumers.
    node dist/tools/cli/migrate.js
    exec node dist/tools/cli/provision.js
    ;;
  *)
    echo "usage: shelfwatch gateway|crawler|ranking|alerting|reporting|retention|health|sim|migrate|provision|wait-for-setup|setup" >&2
    echo "       (or set SHELFWATCH_SERVICE); got '${target}'" >&2
    exit 64
    ;;
esac
