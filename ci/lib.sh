# shellcheck shell=bash
# Shared helpers for the ci/*/start and ci/*/stop scripts. Source it, don't run it:
#
#   . "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
#
# Sets CI_DIR (this folder), REPO_ROOT (its parent), STATE (where services keep their
# data, logs and pid files: $OPENGOV_CI_STATE or <repo root>/.ci-state, made absolute)
# and CI_TIMEOUT (seconds to wait for a service: $OPENGOV_CI_TIMEOUT, default 60).

CI_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(dirname -- "$CI_DIR")
STATE=$(realpath -m -- "${OPENGOV_CI_STATE:-$REPO_ROOT/.ci-state}")
CI_TIMEOUT=${OPENGOV_CI_TIMEOUT:-60}
# Fallback area for files that must be reachable by another system user (PostgreSQL's
# `postgres`) when the state dir's parents are not traversable, or its path is too long
# for a unix socket.
CI_VAR_BASE=/var/tmp/opengov_cms-ci

log() { printf '[%s] %s\n' "${LOG_TAG:-ci}" "$*" >&2; }

die() {
    printf '[%s] ERROR: %s\n' "${LOG_TAG:-ci}" "$*" >&2
    exit 1
}

# have NAME: NAME is a command that can be run (bash's `command -v` may also name a file
# on PATH that is not executable).
have() {
    local p
    p=$(command -v -- "$1" 2>/dev/null) || return 1
    case $p in
        /*) [ -f "$p" ] && [ -x "$p" ] ;;
        *) return 0 ;;
    esac
}

is_root() { [ "$(id -u)" -eq 0 ]; }

# True when as_root can run a command: we are root, or password-less sudo works.
can_be_root() { is_root || { have sudo && sudo -n true 2>/dev/null; }; }

as_root() {
    if is_root; then
        "$@"
    elif have sudo && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        return 1
    fi
}

# run_as USER CMD...: run CMD as USER (via runuser when we are root and USER is someone
# else), from / so that an unreadable current directory does not get in the way.
run_as() {
    local user=$1
    shift
    if [ "$user" = "$(id -un)" ]; then
        (cd / && "$@")
    elif is_root; then
        (cd / && runuser -u "$user" -- "$@")
    else
        die "cannot run '$1' as user '$user' (I am $(id -un))"
    fi
}

check_port() {
    case $1 in
        '' | *[!0-9]*) die "invalid port '$1' (expected a number)" ;;
    esac
    if [ "$1" -lt 1 ] || [ "$1" -gt 65535 ]; then die "invalid port '$1'"; fi
}

check_timeout() {
    case $CI_TIMEOUT in
        '' | *[!0-9]*) die "invalid OPENGOV_CI_TIMEOUT '$CI_TIMEOUT' (expected seconds)" ;;
    esac
}

# wait_for SECONDS CMD...: run CMD every 0.2 s until it succeeds (0) or SECONDS pass (1).
wait_for() {
    local deadline=$((SECONDS + $1))
    shift
    while :; do
        "$@" && return 0
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.2
    done
}

# pid_alive PID: the process PID exists and is not a zombie (a killed daemon stays a
# zombie until init reaps it, and on some machines that takes a while).
pid_alive() {
    local state
    case $1 in '' | *[!0-9]*) return 1 ;; esac
    state=$(sed -n 's/^State:[[:space:]]*\([A-Za-z]\).*/\1/p' "/proc/$1/status" 2>/dev/null) || return 1
    case $state in Z | X | '') return 1 ;; esac
}

# pid_is PID NAME...: the process PID is alive and its command name is one of NAME.
pid_is() {
    local pid=$1 comm name
    shift
    pid_alive "$pid" || return 1
    comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
    for name in "$@"; do
        [ "$comm" = "$name" ] && return 0
    done
    return 1
}

# answers_ping PORT: a Redis server on 127.0.0.1:PORT answers PING with PONG.
answers_ping() {
    if have redis-cli; then
        [ "$(timeout 3 redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = PONG ]
    else
        # shellcheck disable=SC2016  # expanded by the inner bash
        timeout 3 bash -c 'exec 4<>"/dev/tcp/127.0.0.1/$1" && printf "PING\r\n" >&4 &&
            IFS= read -r line <&4 && [[ $line == +PONG* ]]' _ "$1" 2>/dev/null
    fi
}

short_hash() { printf '%s' "$1" | sha256sum | cut -c1-12; }

# lock NAME: hold an exclusive lock on $STATE/.NAME.lock (fd 9) until the script exits,
# so that two concurrent starts of one service don't race. Anything that may leave a
# daemon behind (a server, apt-get whose package scripts may start one) must be run with
# `3>&- 9>&-` so that the daemon inherits neither this lock nor the stdout kept as fd 3
# (see stdout_to_fd3): else `url=$(ci/x/start)` would never return.
lock() {
    local f=$STATE/.$1.lock
    mkdir -p -- "$STATE" 2>/dev/null || true
    if ! { [ -w "$f" ] || { [ ! -e "$f" ] && [ -w "$STATE" ]; }; }; then
        die "the state dir $STATE is not writable by user $(id -un): set OPENGOV_CI_STATE to a directory of yours"
    fi
    exec 9>"$f"
    flock -w 600 9 || die "could not lock $STATE/.$1.lock within 600 s"
}

# stdout_to_fd3: keep the real stdout as fd 3 and send everything else to stderr, so that
# the script's stdout carries only what is written with `>&3` (the service URL).
stdout_to_fd3() { exec 3>&1 1>&2; }

# --- apt ---------------------------------------------------------------------------

# `apt-get update` at most once per run (the env var is inherited by child scripts); a
# stamp in $STATE also lets a second script shortly after skip it. When an install fails
# after a skipped update, apt_install updates and tries again.
_APT_STAMP=$STATE/.apt-updated
_APT="apt-get -q -o DPkg::Lock::Timeout=600"

apt_update() {
    log "apt-get update"
    # shellcheck disable=SC2086
    as_root env DEBIAN_FRONTEND=noninteractive $_APT update >&2 3>&- 9>&- || die "apt-get update failed"
    export OPENGOV_CI_APT_UPDATED=1
    { mkdir -p -- "$STATE" && touch -- "$_APT_STAMP"; } 2>/dev/null || true
}

_apt_recently_updated() {
    [ "${OPENGOV_CI_APT_UPDATED:-}" = 1 ] && return 0
    [ -n "$(find "$_APT_STAMP" -mmin -60 2>/dev/null)" ]
}

# apt_install PACKAGE...: install Debian packages as root (or with password-less sudo);
# dies with the packages' names when that is not possible.
apt_install() {
    have apt-get || die "apt-get not found: install the packages '$*' (Debian names) by hand"
    can_be_root || die "not root and 'sudo -n' is not available: install the Debian packages by hand: sudo apt-get install $*"
    local skipped=0
    if _apt_recently_updated; then skipped=1; else apt_update; fi
    log "apt-get install $*"
    # shellcheck disable=SC2086
    if ! as_root env DEBIAN_FRONTEND=noninteractive $_APT install -y --no-install-recommends "$@" >&2 3>&- 9>&-; then
        [ "$skipped" = 1 ] || die "apt-get install $* failed"
        apt_update
        # shellcheck disable=SC2086
        as_root env DEBIAN_FRONTEND=noninteractive $_APT install -y --no-install-recommends "$@" >&2 3>&- 9>&- ||
            die "apt-get install $* failed"
    fi
}

dpkg_installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }

# --- PostgreSQL (shared by ci/postgres/start and ci/postgres/stop) ---------------------

# shellcheck disable=SC2034  # used by the scripts that source this file
PG_BIN=${OPENGOV_PG_BIN:-/usr/lib/postgresql/15/bin}

# The directories a cluster of ours may live in (as <dir>/data, log <dir>/postgres.log,
# socket in <dir>): first the state dir, then a fallback under /var/tmp used when the
# state dir cannot be reached by the user the server runs as.
pg_candidate_dirs() {
    printf '%s\n' "$STATE/postgres" "$CI_VAR_BASE/$(short_hash "$STATE")/postgres"
}

# pg_running_pid DIR: print the postmaster's pid when the cluster in DIR/data is running.
pg_running_pid() {
    local pidfile=$1/data/postmaster.pid pid
    [ -r "$pidfile" ] || return 1
    pid=$(sed -n 1p "$pidfile")
    pid_is "$pid" postgres postmaster || return 1
    printf '%s\n' "$pid"
}

# pg_pidfile_field DIR LINE: a line of DIR/data/postmaster.pid (4: port, 5: socket dir).
pg_pidfile_field() { sed -n "${2}p" "$1/data/postmaster.pid" 2>/dev/null; }
