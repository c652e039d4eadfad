# Sourced by .ci/run: makes the PostgreSQL that HOTLINE_TEST_PG_URL names ready for the tests.
# Every step checks first and changes nothing that already works: on a configured machine it only
# looks. On a fresh Debian machine (as root) it installs the server, creates and starts a cluster,
# lets the URL's user connect over TCP (trust, or the URL's password) and creates the database.
#
# Run on its own: bash -c 'source .ci/postgres.sh && ensure_test_postgres'

pg_log() { printf '   postgres: %s\n' "$*"; }

# Splits HOTLINE_TEST_PG_URL into PG_USER PG_PASSWORD PG_HOST PG_PORT PG_DB.
parse_test_pg_url() {
  local url="${HOTLINE_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/test}"
  local re='^postgres(ql)?://(([^:@/]+)(:([^@/]*))?@)?([^:/?]*)(:([0-9]+))?(/([^?]*))?'
  if ! [[ "$url" =~ $re ]]; then
    pg_log "HOTLINE_TEST_PG_URL is not a postgres:// URL"
    return 1
  fi
  decode() { local s="${1//+/ }"; printf '%b' "${s//%/\\x}"; }
  PG_USER="$(decode "${BASH_REMATCH[3]:-postgres}")"
  PG_PASSWORD="$(decode "${BASH_REMATCH[5]}")"
  PG_HOST="${BASH_REMATCH[6]:-127.0.0.1}"
  PG_PORT="${BASH_REMATCH[8]:-5432}"
  PG_DB="$(decode "${BASH_REMATCH[10]:-test}")"
}

# psql as the URL's user, over TCP, against database $1.
pg_as_test_user() {
  local db="$1"
  shift
  PGPASSWORD="$PG_PASSWORD" PGCONNECT_TIMEOUT=5 psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$db" "$@"
}

# psql as the postgres superuser over the local socket (peer authentication), for setting up.
pg_as_superuser() {
  runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres "$@"
}

# Quotes a string as an SQL literal.
pg_literal() { printf "'%s'" "${1//\'/\'\'}"; }

# The version and name of the cluster that listens on $PG_PORT, e.g. "15 main" (empty if none).
pg_cluster_on_port() {
  pg_lsclusters -h 2>/dev/null | awk -v port="$PG_PORT" '$3 == port { print $1, $2; exit }'
}

ensure_test_postgres() {
  parse_test_pg_url || return 1
  local is_local=false
  case "$PG_HOST" in 127.0.0.1 | localhost | ::1 | "[::1]") is_local=true ;; esac

  if ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then
    if ! $is_local; then
      pg_log "nothing answers at $PG_HOST:$PG_PORT, and it is not this machine"
      return 1
    fi
    if ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
      pg_log "installing the PostgreSQL server"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null || {
        pg_log "apt-get install postgresql failed"
        return 1
      }
    fi
    local cluster
    cluster="$(pg_cluster_on_port)"
    if [ -z "$cluster" ]; then
      local version name=main
      version="$(ls /usr/lib/postgresql | sort -V | tail -n1)"
      [ -d "/etc/postgresql/$version/main" ] && name=hotline_test
      pg_log "creating cluster $version/$name on port $PG_PORT"
      pg_createcluster --port "$PG_PORT" "$version" "$name" >/dev/null || return 1
      cluster="$version $name"
    fi
    pg_log "starting cluster ${cluster/ //}"
    # shellcheck disable=SC2086 # "version name" splits into two arguments on purpose
    pg_ctlcluster --skip-systemctl-redirect $cluster start || true
    for _ in $(seq 1 30); do pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && break; sleep 1; done
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" || { pg_log "the cluster did not start"; return 1; }
  fi

  if ! pg_as_test_user postgres -Atc 'select 1' >/dev/null 2>&1; then
    if ! $is_local; then
      pg_log "user $PG_USER cannot sign in at $PG_HOST:$PG_PORT"
      return 1
    fi
    local role_exists
    role_exists="$(pg_as_superuser -Atc "select 1 from pg_roles where rolname = $(pg_literal "$PG_USER")")" || return 1
    if [ "$role_exists" != 1 ]; then
      pg_log "creating role $PG_USER (may create databases)"
      pg_as_superuser -c "create role \"$PG_USER\" login createdb" || return 1
    fi
    if [ -n "$PG_PASSWORD" ]; then
      pg_log "setting the password of $PG_USER from HOTLINE_TEST_PG_URL"
      pg_as_superuser -c "alter role \"$PG_USER\" password $(pg_literal "$PG_PASSWORD")" >/dev/null || return 1
    fi
  fi
  if ! pg_as_test_user postgres -Atc 'select 1' >/dev/null 2>&1; then
    local cluster hba
    cluster="$(pg_cluster_on_port)"
    hba="/etc/postgresql/${cluster/ //}/pg_hba.conf"
    [ -n "$cluster" ] && [ -f "$hba" ] || { pg_log "cannot find the pg_hba.conf of the cluster on port $PG_PORT"; return 1; }
    # Before every other line: pg_hba.conf is read top down and the first match decides.
    if [ -n "$PG_PASSWORD" ]; then
      pg_log "letting $PG_USER connect from 127.0.0.1 with its password ($hba)"
      sed -i "1i host all \"$PG_USER\" 127.0.0.1/32 scram-sha-256\nhost all \"$PG_USER\" ::1/128 scram-sha-256" "$hba"
    else
      pg_log "letting $PG_USER connect from 127.0.0.1 without a password (trust, for test machines; $hba)"
      sed -i "1i host all \"$PG_USER\" 127.0.0.1/32 trust\nhost all \"$PG_USER\" ::1/128 trust" "$hba"
    fi
    pg_as_superuser -Atc 'select pg_reload_conf()' >/dev/null || return 1
    sleep 1
    pg_as_test_user postgres -Atc 'select 1' >/dev/null || { pg_log "user $PG_USER still cannot sign in"; return 1; }
  fi

  local can_create
  can_create="$(pg_as_test_user postgres -Atc 'select rolcreatedb or rolsuper from pg_roles where rolname = current_user')" || return 1
  if [ "$can_create" != t ]; then
    # Each test file creates a database of its own.
    $is_local || { pg_log "user $PG_USER may not create databases"; return 1; }
    pg_log "letting $PG_USER create databases"
    pg_as_superuser -c "alter role \"$PG_USER\" createdb" >/dev/null || return 1
  fi

  local has_db
  has_db="$(pg_as_test_user postgres -Atc "select 1 from pg_database where datname = $(pg_literal "$PG_DB")")" || return 1
  if [ "$has_db" != 1 ]; then
    pg_log "creating database $PG_DB"
    pg_as_test_user postgres -c "create database \"$PG_DB\"" || return 1
  fi
  pg_log "ready: $PG_USER@$PG_HOST:$PG_PORT/$PG_DB"
}
