#!/bin/sh
# ntfy-publish.sh URL
#
# Publishes each event to an ntfy topic (https://ntfy.sh or your own server) with an HTTP POST: the title
# says what happened, the body is a one-line summary; a peer subscribed to the topic can run
# `tether poke` when a message arrives (see docs/HOOKS.md, "Signalling").
#
# Attach it (in .tether/config.yml):
#   hooks:
#     - name: ntfy
#       events: [commit, conflict, error]
#       command: ["/path/to/hooks/ntfy-publish.sh", "https://ntfy.sh/my-tether-topic"]
#       env: { NTFY_TOKEN: "tk_..." }     # optional: an access token
#
# Needs: curl. Reads the event's TETHER_* variables; the JSON on stdin is not needed.
set -eu

url=${1:?usage: ntfy-publish.sh URL}
event=${TETHER_EVENT:-event}
repo=$(basename -- "${TETHER_REPO:-tether}")
case "$event" in
  commit|change) body="${TETHER_SUMMARY:-changes} (${TETHER_COMMIT:-})" ;;
  push)          body="push to ${TETHER_REMOTE:-?}: ${TETHER_OK:-?} ${TETHER_ERROR:-}" ;;
  error)         body="${TETHER_COMPONENT:-}: ${TETHER_ERROR:-}" ;;
  transfer)      body="${TETHER_DIRECTION:-} ${TETHER_FILE:-} ${TETHER_PHASE:-}" ;;
  *)             body="${TETHER_REMOTE:-} ${TETHER_PATHS_COUNT:+$TETHER_PATHS_COUNT paths}" ;;
esac

set -- -fsS --max-time 10 -X POST -H "Title: tether $event in $repo" -H "Tags: tether,$event"
if [ -n "${NTFY_TOKEN:-}" ]; then set -- "$@" -H "Authorization: Bearer $NTFY_TOKEN"; fi
printf '%s' "$body" | curl "$@" --data-binary @- -- "$url" >/dev/null
