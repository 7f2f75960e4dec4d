#!/usr/bin/env bash
# DevStack plugin: installs watcher, registers the infra-optim endpoint,
# writes watcher.conf and starts the three services.

function install_watcher {
    setup_develop "$WATCHER_DIR"
}

function configure_watcher {
    sudo install -d -o "$STACK_USER" "$WATCHER_CONF_DIR"
    iniset "$WATCHER_CONF" DEFAULT transport_url "$(get_transport_url)"
    iniset "$WATCHER_CONF" database connection "$(database_connection_url watcher)"
    iniset "$WATCHER_CONF" api host "$SERVICE_HOST"
    iniset "$WATCHER_CONF" api port "$WATCHER_SERVICE_PORT"
    configure_keystone_authtoken_middleware "$WATCHER_CONF" watcher
    iniset "$WATCHER_CONF" watcher_clients_auth auth_type password
    iniset "$WATCHER_CONF" watcher_clients_auth auth_url "$KEYSTONE_SERVICE_URI"
    iniset "$WATCHER_CONF" watcher_clients_auth username watcher
    iniset "$WATCHER_CONF" watcher_clients_auth password "$SERVICE_PASSWORD"
    iniset "$WATCHER_CONF" watcher_clients_auth project_name "$SERVICE_PROJECT_NAME"
    iniset "$WATCHER_CONF" watcher_clients_auth user_domain_name Default
    iniset "$WATCHER_CONF" watcher_clients_auth project_domain_name Default
}

function create_watcher_accounts {
    create_service_user watcher admin
    get_or_create_service watcher infra-optim "Infrastructure Optimization"
    get_or_create_endpoint infra-optim "$REGION_NAME" \
        "http://$SERVICE_HOST:$WATCHER_SERVICE_PORT"
}

function init_watcher {
    recreate_database watcher
    watcher-db-manage --config-file "$WATCHER_CONF" upgrade
}

function start_watcher {
    run_process watcher-api "$(which watcher-api) --config-file $WATCHER_CONF"
    run_process watcher-decision-engine "$(which watcher-decision-engine) --config-file $WATCHER_CONF"
    run_process watcher-applier "$(which watcher-applier) --config-file $WATCHER_CONF"
}

function stop_watcher {
    for serv in watcher-api watcher-decision-engine watcher-applier; do
        stop_process "$serv"
    done
}

if is_service_enabled watcher-api; then
    if [[ "$1" == "stack" && "$2" == "install" ]]; then
        install_watcher
    elif [[ "$1" == "stack" && "$2" == "post-config" ]]; then
        configure_watcher
        create_watcher_accounts
    elif [[ "$1" == "stack" && "$2" == "extra" ]]; then
        init_watcher
        start_watcher
    fi
    if [[ "$1" == "unstack" ]]; then
        stop_watcher
    fi
fi
