#!/usr/bin/env bash
# Prints a working store key for the local cloud: store-key.sh <store-id> [label].
# Other admin actions pass through: store-key.sh revoke <key-id> | list [store-id].
# Uses the database of .run/env (run up.sh first); see infra/supabase/store-key.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SUPABASE_DB_URL="$(env_value SUPABASE_DB_URL "$RUN/env")"
[ -n "$SUPABASE_DB_URL" ] || die "no local cloud ($RUN/env missing): run infra/local-cloud/up.sh first"
export SUPABASE_DB_URL
case "${1:-}" in
  issue|revoke|list) exec bash "$SUPABASE_DIR/store-key.sh" "$@" ;;
  ""|-h|--help) die "usage: store-key.sh <store-id> [label] | revoke <key-id> | list [store-id]" ;;
  *) exec bash "$SUPABASE_DIR/store-key.sh" issue "$@" ;;
esac
