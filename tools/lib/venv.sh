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
    # The devstack plugin test lints with shellcheck (it skips without it)
    if ! command -v shellcheck >/dev/null 2>&1 && [ "$(id -u)" = 0 ] \
            && command -v apt-get >/dev/null 2>&1; then
        echo "== installing shellcheck (Debian package)"
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq --no-install-recommends shellcheck \
            >/dev/null) || echo "   shellcheck could not be installed; its test will skip"
    fi
}

# The documentation tools (sphinx, openstackdocstheme, os-api-ref, reno) go
# into the project's venv: the docs build imports watcher itself (plugin
# pages, configuration and policy references).
ensure_doc_tools() {
    local stamp="$VENV/.doc-requirements.sha"
    local want
    want=$(sha256sum doc/requirements.txt | cut -d' ' -f1)
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        echo "== installing doc/requirements.txt into $VENV"
        if ! "$VENV/bin/pip" install -r doc/requirements.txt \
                >> "$VENV/pip.log" 2>&1; then
            tail -40 "$VENV/pip.log"
            echo "pip install of the doc tools failed" >&2
            return 1
        fi
        echo "$want" > "$stamp"
    fi
}

# Builds the documentation, the API reference and the release notes as
# `tox -e docs,api-ref,releasenotes` do (warnings are errors) into
# $1 (default: a temporary directory, removed afterwards). Prints one line
# per build with its time; returns non-zero when any build fails.
build_docs() {
    local out=${1:-} keep=1 failed=0 name src start log
    if [ -z "$out" ]; then
        out=$(mktemp -d)
        keep=0
    fi
    mkdir -p "$out"
    for name in doc api-ref releasenotes; do
        src=$name/source
        log="$out/$name.log"
        start=$(date +%s%N)
        if "$VENV/bin/sphinx-build" -W --keep-going -q -b html \
                -d "$out/$name/doctrees" "$src" "$out/$name/html" \
                > "$log" 2>&1; then
            echo "== $name built in $((($(date +%s%N) - start) / 1000000)) ms"
        else
            grep -v -i -e eventlet -e last_updated "$log" | tail -30
            echo "== $name: documentation build FAILED" >&2
            failed=1
        fi
    done
    [ "$keep" = 1 ] || rm -rf "$out"
    return "$failed"
}
