#!/usr/bin/env bash
# Admin command for per-store lane credentials (migration 20261201000000_chain_of_stores).
#   store-key.sh issue <store-id> [label]   creates the store if new, prints a new key on stdout
#                                          (its key id on stderr); the cloud keeps only its SHA-256
#   store-key.sh revoke <key-id>            the key is refused (401) from the next request on
#   store-key.sh list [store-id]            key ids, stores, labels, created/revoked times; never keys
# Rotation without downtime: issue a second key, give it to the store's lanes (POSBUS_STORE_KEY),
# then revoke the old one; both are valid in between.
# Needs psql and SUPABASE_DB_URL (the project's direct Postgres connection, as its owner).
set -euo pipefail

die() { printf 'store-key: %s\n' "$*" >&2; exit 2; }
[ -n "${SUPABASE_DB_URL:-}" ] || die "SUPABASE_DB_URL is not set (the project's Postgres connection string)"
command -v psql >/dev/null || die "psql is not installed"
# SQL comes on stdin: psql substitutes :'var' (quoted safely) there, not in -c.
q() { local sql="$1"; shift; PGOPTIONS="-c client_min_messages=warning" psql "$SUPABASE_DB_URL" -v ON_ERROR_STOP=1 -qtA "$@" <<<"$sql"; }

case "${1:-}" in
  issue)
    store="${2:-}"; label="${3:-}"
    [[ "$store" =~ ^[A-Za-z0-9_-]{1,32}$ ]] || die "store id must be 1-32 letters, digits, '-' or '_' (like STORE_ID); got '$store'"
    # 256 random bits; the prefix lets the function tell a store key from the service key.
    key="pbsk_$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')"
    hash="$(printf '%s' "$key" | sha256sum | cut -d' ' -f1)"
    id="$(q "select posbus_private.issue_store_key(:'store', decode(:'hash', 'hex'), nullif(:'label', ''))" \
      -v store="$store" -v hash="$hash" -v label="$label")"
    printf 'store-key: issued key %s for store %s\n' "$id" "$store" >&2
    printf '%s\n' "$key"
    ;;
  revoke)
    id="${2:-}"
    [[ "$id" =~ ^[0-9a-fA-F-]{36}$ ]] || die "revoke needs a key id (uuid, see 'list'); got '$id'"
    done="$(q "select coalesce(posbus_private.revoke_store_key(:'id'::uuid), false)" -v id="$id")"
    [ "$done" = "t" ] || die "no valid key with id $id"
    printf 'store-key: revoked key %s\n' "$id" >&2
    ;;
  list)
    q "select key_id, store_id, coalesce(label, ''), created_at, coalesce(revoked_at::text, 'valid')
       from posbus_private.store_keys where nullif(:'store', '') is null or store_id = :'store'
       order by store_id, created_at" -v store="${2:-}" -F $'\t'
    ;;
  *) die "usage: store-key.sh issue <store-id> [label] | revoke <key-id> | list [store-id]" ;;
esac
