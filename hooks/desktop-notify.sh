#!/bin/sh
# desktop-notify.sh
#
# Shows a desktop notification for each event (conflicts and errors as critical).
#
# Attach it (in .tether/config.yml):
#   hooks:
#     - name: notify
#       events: [receive, conflict, error]
#       command: ["/path/to/hooks/desktop-notify.sh"]
# or copy it into .tether/hooks/conflict.d/ (and error.d/ ...).
#
# Needs: notify-send (Debian package libnotify-bin) and a desktop session: the daemon must run in the
# user's session (a systemd --user service has DISPLAY/DBUS_SESSION_BUS_ADDRESS there).
set -eu

event=${TETHER_EVENT:-event}
repo=$(basename -- "${TETHER_REPO:-tether}")
urgency=normal
case "$event" in
  conflict) urgency=critical; body="${TETHER_PATHS_COUNT:-some} file(s) in conflict: both versions were kept" ;;
  error)    urgency=critical; body="${TETHER_COMPONENT:-}: ${TETHER_ERROR:-}" ;;
  receive)  body="changes arrived from ${TETHER_REMOTE:-a peer}" ;;
  change)   body="${TETHER_SUMMARY:-changes}" ;;
  push)     body="pushed to ${TETHER_REMOTE:-?}" ;;
  *)        body="$event ${TETHER_REMOTE:-}" ;;
esac
exec notify-send --app-name=Tether --urgency="$urgency" -- "Tether: $repo" "$body"
