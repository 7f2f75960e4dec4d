# shellcheck shell=bash
# Stand-ins for the devstack functions the watcher plugin calls: each one
# appends its name and arguments to $CALLS (one call per line, arguments
# separated by "|"); iniset also writes the value into the ini file so the
# test can read the resulting watcher.conf.

record() {
    local IFS='|'
    echo "$*" >> "$CALLS"
}

iniset() {
    record iniset "$@"
    python3 - "$@" <<'PY'
import configparser, os, sys
path, section, key, value = sys.argv[1:5]
conf = configparser.RawConfigParser()
conf.optionxform = str
if os.path.exists(path):
    conf.read(path)
if section != 'DEFAULT' and not conf.has_section(section):
    conf.add_section(section)
conf.set(section, key, value)
with open(path, 'w') as f:
    conf.write(f)
PY
}

is_service_enabled() {
    local svc
    for svc in "$@"; do
        [[ ",$ENABLED_SERVICES," == *",$svc,"* ]] && return 0
    done
    return 1
}

enable_service() {
    local svc
    for svc in "$@"; do
        is_service_enabled "$svc" || ENABLED_SERVICES+=",$svc"
    done
}

iniset_rpc_backend() {
    record iniset_rpc_backend "$@"
    iniset "$2" DEFAULT transport_url "rabbit://stackrabbit:secret@$SERVICE_HOST:5672/"
}

database_connection_url() {
    echo "mysql+pymysql://root:secret@127.0.0.1/$1?charset=utf8"
}

configure_keystone_authtoken_middleware() {
    record configure_keystone_authtoken_middleware "$@"
    local section=${3:-keystone_authtoken}
    iniset "$1" "$section" auth_type password
    iniset "$1" "$section" auth_url "$KEYSTONE_SERVICE_URI"
    iniset "$1" "$section" username "$2"
    iniset "$1" "$section" password "$SERVICE_PASSWORD"
    iniset "$1" "$section" project_name "$SERVICE_PROJECT_NAME"
}

get_python_exec_prefix() { echo "$FAKE_BIN"; }
sudo() { "$@"; }
echo_summary() { :; }
use_library_from_git() { [[ ",$LIBS_FROM_GIT," == *",$1,"* ]]; }

for fn in setup_develop pip_install pip_install_gr git_clone_by_name \
        setup_dev_lib write_uwsgi_config remove_uwsgi_config \
        create_service_user get_or_create_service get_or_create_endpoint \
        recreate_database run_process stop_process; do
    eval "$fn() { record $fn \"\$@\"; }"
done
