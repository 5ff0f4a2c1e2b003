#!/usr/bin/env bash
# OpenCTPAT container and service entry point (docs/deploy.md).
#
#   entrypoint.sh web          migrate when CTPAT_MIGRATE_ON_START=true, then gunicorn
#   entrypoint.sh worker       the background-task worker (database queue or RQ)
#   entrypoint.sh scheduler    the daily jobs once a day, stopped-task recovery every few minutes
#   entrypoint.sh ctpat ARGS   any management command (migrate, backup DEST, restore ARCHIVE, …)
#
# Settings come from the environment (docs/configuration.md). Each long-running role
# replaces this shell (exec), so the container's stop signal reaches it directly.
set -euo pipefail

APP_DIR="${CTPAT_APP_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
cd "$APP_DIR"

log() { printf '{"level": "INFO", "logger": "entrypoint", "message": "%s"}\n' "$*" >&2; }

prepare_metrics_dir() {
  # gunicorn's workers share request figures through files here; stale ones from a previous
  # run would be added up again.
  if [[ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]]; then
    rm -rf "${PROMETHEUS_MULTIPROC_DIR:?}"/*
    mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
  fi
}

wait_for_database() {
  local tries="${CTPAT_DB_WAIT_SECONDS:-60}"
  for ((i = 0; i < tries; i++)); do
    if ctpat shell -c "from django.db import connection; connection.ensure_connection()" \
      >/dev/null 2>&1; then
      return 0
    fi
    sleep 1
  done
  log "the database did not answer within ${tries} s"
  return 1
}


role="${1:-web}"
shift || true
case "$role" in
  web)
    wait_for_database
    if [[ "${CTPAT_MIGRATE_ON_START:-false}" == "true" ]]; then
      log "applying migrations"
      ctpat migrate --no-input -v0
      ctpat createcachetable
    fi
    prepare_metrics_dir
    log "starting gunicorn on ${BIND:-0.0.0.0:8000}"
    exec gunicorn portal.wsgi --config gunicorn.conf.py --bind "${BIND:-0.0.0.0:8000}" \
      --workers "${WEB_WORKERS:-3}" --timeout "${WEB_TIMEOUT:-120}" "$@"
    ;;
  worker)
    wait_for_database
    if [[ "${TASKS_BACKEND:-}" == "rq" || "${TASKS_BACKEND:-}" == "django_tasks_rq.RQBackend" ]]; then
      exec ctpat rqworker --job-class django_tasks_rq.Job default "$@"
    fi
    exec ctpat db_worker "$@"
    ;;
  scheduler)
    # Any number of schedulers (one per machine) may run: `ctpat run_daily` claims each
    # job's day in the database, so each daily job runs once a day (core/scheduler.py).
    wait_for_database
    at="${DAILY_AT:-06:15}"
    while true; do
      if [[ "$(date -u +%H:%M)" > "$at" || "$(date -u +%H:%M)" == "$at" ]]; then
        ctpat run_daily || log "a daily job failed; the next round retries it"
      fi
      ctpat recover_tasks
      touch "${CTPAT_DATA_DIR:-$APP_DIR/var}/scheduler-alive"
      [[ "${SCHEDULER_ONCE:-false}" == "true" ]] && exit 0
      sleep "${SCHEDULER_INTERVAL:-300}"
    done
    ;;
  ctpat | manage)
    exec ctpat "$@"
    ;;
  *)
    echo "usage: entrypoint.sh web | worker | scheduler | ctpat COMMAND [ARGS]" >&2
    exit 64
    ;;
esac
