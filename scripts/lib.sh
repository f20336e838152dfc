# Shared set-up of the interop scripts, sourced after they set `python`: a
# scratch directory and the pids of the servers they start, removed and
# stopped on any exit; free ports on 127.0.0.1; Python venvs from PyPI.

scratch=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]+"${pids[@]}"}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

# Prints a port that is free on 127.0.0.1 right now.
free_port() {
    "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# ensure_venv DIR MODULE VERSION REQUIREMENT: unless DIR holds a venv whose
# MODULE.__version__ is VERSION, creates it there and pip-installs
# REQUIREMENT (the only step that needs the network).
ensure_venv() {
    local dir=$1 module=$2 version=$3 requirement=$4
    if ! "$dir/bin/python" -c "import $module, sys; sys.exit($module.__version__ != '$version')" 2>/dev/null; then
        echo "$(basename "$0"): creating a venv for $requirement in $dir"
        "$python" -m venv "$dir"
        "$dir/bin/pip" install --quiet --disable-pip-version-check "$requirement"
    fi
}
