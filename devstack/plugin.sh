#!/usr/bin/env bash
# shellcheck disable=SC2034
# DevStack plugin of watcher (sourced by stack.sh, unstack.sh and clean.sh
# with the phase as arguments): installs watcher and its client, creates its
# database, Keystone user and endpoints, writes watcher.conf, serves the API
# under uwsgi and runs the decision engine and the applier.

WATCHER_XTRACE=$(set +o | grep xtrace)
set -o xtrace

function install_watcher {
    setup_develop "$WATCHER_DIR"
    pip_install pyuwsgi
}

function install_watcherclient {
    if use_library_from_git "python-watcherclient"; then
        git_clone_by_name "python-watcherclient"
        setup_dev_lib "python-watcherclient"
    else
        pip_install_gr python-watcherclient
    fi
}

function configure_watcher {
    sudo install -d -o "$STACK_USER" "$WATCHER_CONF_DIR"
    rm -f "$WATCHER_CONF"

    iniset "$WATCHER_CONF" DEFAULT debug "$ENABLE_DEBUG_LOG_LEVEL"
    iniset "$WATCHER_CONF" DEFAULT control_exchange watcher
    iniset_rpc_backend watcher "$WATCHER_CONF"
    iniset "$WATCHER_CONF" database connection \
        "$(database_connection_url watcher)"
    iniset "$WATCHER_CONF" oslo_messaging_notifications driver messagingv2
    iniset "$WATCHER_CONF" oslo_policy policy_file "$WATCHER_POLICY_YAML"

    configure_keystone_authtoken_middleware "$WATCHER_CONF" watcher
    configure_keystone_authtoken_middleware "$WATCHER_CONF" watcher \
        watcher_clients_auth

    iniset "$WATCHER_CONF" api host "$WATCHER_SERVICE_HOST"
    iniset "$WATCHER_CONF" api port "$WATCHER_SERVICE_PORT"
    write_uwsgi_config "$WATCHER_UWSGI_CONF" "$WATCHER_UWSGI" \
        "/infra-optim" "" "watcher-api"

    configure_watcher_datasource
    configure_nova_notifications
}

# The optional Prometheus datasource of the strategies' metrics.
function configure_watcher_datasource {
    if [[ "$WATCHER_DATASOURCE" == "prometheus" ]]; then
        iniset "$WATCHER_CONF" watcher_datasources datasources prometheus
        iniset "$WATCHER_CONF" prometheus_client host \
            "$WATCHER_PROMETHEUS_HOST"
        iniset "$WATCHER_CONF" prometheus_client port \
            "$WATCHER_PROMETHEUS_PORT"
    fi
}

# Nova sends the versioned notifications the decision engine listens to.
function configure_nova_notifications {
    if is_service_enabled n-api n-cpu; then
        iniset "$NOVA_CONF" notifications notification_format \
            "$NOVA_NOTIFICATION_FORMAT"
        iniset "$NOVA_CONF" oslo_messaging_notifications driver messagingv2
    fi
}

function create_watcher_accounts {
    create_service_user watcher admin
    get_or_create_service watcher infra-optim "Infrastructure Optimization"
    local url="$WATCHER_SERVICE_PROTOCOL://$WATCHER_SERVICE_HOST/infra-optim"
    get_or_create_endpoint infra-optim "$REGION_NAME" "$url" "$url" "$url"
}

function init_watcher {
    recreate_database watcher
    "$WATCHER_BIN_DIR/watcher-db-manage" --config-file "$WATCHER_CONF" upgrade
    "$WATCHER_BIN_DIR/watcher-sync" --config-file "$WATCHER_CONF"
}

function start_watcher {
    run_process watcher-api \
        "$WATCHER_BIN_DIR/uwsgi --procname-prefix watcher-api --ini $WATCHER_UWSGI_CONF"
    run_process watcher-decision-engine \
        "$WATCHER_BIN_DIR/watcher-decision-engine --config-file $WATCHER_CONF"
    run_process watcher-applier \
        "$WATCHER_BIN_DIR/watcher-applier --config-file $WATCHER_CONF"
}

function stop_watcher {
    local serv
    for serv in watcher-api watcher-decision-engine watcher-applier; do
        stop_process "$serv"
    done
}

# watcher-tempest-plugin's options (watcher_tempest_plugin/config.py):
# [service_available] watcher, [optimize] min_microversion,
# max_microversion, datasource (gnocchi by default, "prometheus" or empty
# for no metrics), prometheus_host, prometheus_port.
function configure_tempest_for_watcher {
    if is_service_enabled tempest; then
        iniset "$TEMPEST_CONFIG" service_available watcher True
        iniset "$TEMPEST_CONFIG" optimize min_microversion 1.0
        iniset "$TEMPEST_CONFIG" optimize max_microversion 1.7
        if [[ "$WATCHER_DATASOURCE" == "prometheus" ]]; then
            iniset "$TEMPEST_CONFIG" optimize datasource prometheus
            iniset "$TEMPEST_CONFIG" optimize prometheus_host \
                "$WATCHER_PROMETHEUS_HOST"
            iniset "$TEMPEST_CONFIG" optimize prometheus_port \
                "$WATCHER_PROMETHEUS_PORT"
        else
            # no Gnocchi here: the tests that need metrics skip
            iniset "$TEMPEST_CONFIG" optimize datasource ""
        fi
    fi
}

function cleanup_watcher {
    remove_uwsgi_config "$WATCHER_UWSGI_CONF" "watcher-api"
    sudo rm -rf "$WATCHER_CONF_DIR"
}

WATCHER_BIN_DIR=$(get_python_exec_prefix)

if is_service_enabled watcher-api watcher-decision-engine watcher-applier; then
    if [[ "$1" == "stack" ]]; then
        case "$2" in
            install)
                echo_summary "Installing watcher"
                install_watcher
                install_watcherclient
                ;;
            post-config)
                echo_summary "Configuring watcher"
                configure_watcher
                if is_service_enabled key; then
                    create_watcher_accounts
                fi
                ;;
            extra)
                echo_summary "Starting watcher"
                init_watcher
                start_watcher
                ;;
            test-config)
                configure_tempest_for_watcher
                ;;
        esac
    fi
    if [[ "$1" == "unstack" ]]; then
        stop_watcher
    fi
    if [[ "$1" == "clean" ]]; then
        cleanup_watcher
    fi
fi

$WATCHER_XTRACE
