#!/bin/sh
# mqtt-publish.sh HOST PORT TOPIC
#
# Publishes the event's JSON (from stdin) as one MQTT message to TOPIC. A peer subscribes and pokes its
# daemon, e.g. on the receiving machine:
#   mosquitto_sub -h HOST -p PORT -t TOPIC | while read -r _; do tether -C ~/Tether poke laptop; done
#
# Attach it (in .tether/config.yml):
#   hooks:
#     - name: mqtt
#       events: [commit]
#       command: ["/path/to/hooks/mqtt-publish.sh", "broker.lan", "1883", "tether/laptop"]
#       env: { MQTT_USER: "me", MQTT_PASSWORD: "secret" }   # optional
#
# Needs: mosquitto_pub (Debian package mosquitto-clients).
set -eu

host=${1:?usage: mqtt-publish.sh HOST PORT TOPIC}
port=${2:?usage: mqtt-publish.sh HOST PORT TOPIC}
topic=${3:?usage: mqtt-publish.sh HOST PORT TOPIC}

set -- -h "$host" -p "$port" -t "$topic" -q 1 -s
if [ -n "${MQTT_USER:-}" ]; then set -- "$@" -u "$MQTT_USER"; fi
if [ -n "${MQTT_PASSWORD:-}" ]; then set -- "$@" -P "$MQTT_PASSWORD"; fi
exec mosquitto_pub "$@"
