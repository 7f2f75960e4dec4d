# Shared set-up of the project's virtualenv (sourced by tools/run-*).
VENV=${WATCHER_VENV:-.venv}

ensure_venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        echo "== creating $VENV"
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install -q --upgrade pip wheel setuptools
    fi
    local stamp="$VENV/.requirements.sha"
    local want
    want=$(cat requirements.txt test-requirements.txt setup.cfg | sha256sum | cut -d' ' -f1)
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        echo "== installing requirements into $VENV (log: $VENV/pip.log)"
        if ! { "$VENV/bin/pip" install -r requirements.txt -r test-requirements.txt \
                && "$VENV/bin/pip" install -e .; } > "$VENV/pip.log" 2>&1; then
            tail -40 "$VENV/pip.log"
            echo "pip install failed" >&2
            return 1
        fi
        echo "$want" > "$stamp"
    fi
}

# Debian's Prometheus serves the integration tests of the Prometheus
# datasource; installing it needs root and is skipped (tests then skip) when
# that is not possible.
ensure_test_tools() {
    if ! command -v prometheus >/dev/null 2>&1 && [ "$(id -u)" = 0 ] \
            && command -v apt-get >/dev/null 2>&1; then
        echo "== installing prometheus (Debian package)"
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq --no-install-recommends prometheus \
            >/dev/null) || echo "   prometheus could not be installed; its tests will skip"
    fi
}
