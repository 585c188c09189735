#!/usr/bin/env bash
# Writes secrets.env next to this script: the values of the Secret mapreduce-secrets that the dev
# overlay's secretGenerator reads, as ./setup.sh writes .env for Docker Compose. Each is taken from the
# environment if set there (POSTGRES_PASSWORD=... for the password your dev PostgreSQL already has),
# else random. A secrets.env that exists is kept (delete it for new values); it is not in git.
#
#   deploy/k8s/overlays/dev/make-secrets.sh && kubectl apply -k deploy/k8s/overlays/dev
set -euo pipefail

file="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/secrets.env"
if [[ -s $file ]]; then
    echo "kept $file"
    exit 0
fi
random_secret() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }
(
    umask 077
    for variable in MAPREDUCE_INTERNAL_TOKEN POSTGRES_PASSWORD GATEWAY_DB_PASSWORD REDUCE_WORKER_DB_PASSWORD; do
        echo "$variable=${!variable:-$(random_secret)}"
    done >"$file.new"
    mv "$file.new" "$file"
)
echo "wrote $file"
