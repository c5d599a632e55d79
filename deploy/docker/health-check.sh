#!/bin/bash
# Container health check without curl or wget in the image: GET http://127.0.0.1:$1$2 over bash's /dev/tcp, healthy on 200.
set -euo pipefail
exec 3<>"/dev/tcp/127.0.0.1/$1"
printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
read -r -t 5 _ status _ <&3
[ "$status" = "200" ]
