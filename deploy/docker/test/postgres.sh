#!/bin/bash
# Creates the cluster on first start, with a password user $POSTGRES_USER owning database $POSTGRES_DB, and runs it.
set -euo pipefail
data=/var/lib/postgresql/data
bin=/usr/lib/postgresql/15/bin
if [ ! -s "$data/PG_VERSION" ]; then
    mkdir -p "$data"
    "$bin/initdb" -D "$data" --auth-local=trust --auth-host=scram-sha-256 -U postgres > /dev/null
    echo "host all all 0.0.0.0/0 scram-sha-256" >> "$data/pg_hba.conf"
    "$bin/pg_ctl" -D "$data" -o "-c listen_addresses=''" -w start > /dev/null
    psql -v ON_ERROR_STOP=1 -U postgres -c "create user \"$POSTGRES_USER\" password '$POSTGRES_PASSWORD'" \
        -c "create database \"$POSTGRES_DB\" owner \"$POSTGRES_USER\"" > /dev/null
    "$bin/pg_ctl" -D "$data" -m fast -w stop > /dev/null
fi
exec "$bin/postgres" -D "$data" -c listen_addresses='*' -c unix_socket_directories=/tmp
