#!/bin/sh
# Entry point of the ShelfWatch image: runs one process, chosen by the first argument or SHELFWATCH_SERVICE.
# `exec` replaces this shell, so the process gets the container's signals (SIGTERM -> graceful shutdown).
set -eu
cd "${SHELFWATCH_HOME:-/app}"

target="${1:-${SHELFWATCH_SERVICE:-}}"
if [ "$#" -gt 0 ]; then shift; fi

case "$target" in
  gateway | crawler | ranking | alerting | reporting | retention | health)
    exec node --require ./dist/libs/observability/src/preload.js "dist/services/$target/src/main.js" "$@"
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
