#!/bin/sh
# The broker's start in docker-compose.yml. With Lucy's users rendered into deploy/rabbitmq/definitions.json
# (npm run rabbitmq:definitions; README.md, "Least privilege"), the broker loads them at every start; without
# it, it has only its default user, which is what `npm start` on the host uses. Then the image's own start.
set -eu
CONF=/etc/rabbitmq/conf.d/91-lucy-definitions.conf
if [ -s /etc/lucy/rabbitmq/definitions.json ]; then
  echo "load_definitions = /etc/lucy/rabbitmq/definitions.json" >"$CONF"
else
  rm -f "$CONF"
  echo "lucy: no deploy/rabbitmq/definitions.json, so no per-service users (npm run rabbitmq:definitions)" >&2
fi
exec docker-entrypoint.sh rabbitmq-server
