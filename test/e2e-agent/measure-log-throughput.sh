#!/bin/bash
# Measures the agent's log streaming on this machine: a real control plane and one agent (built
# binary, simulated H20 node), one task that writes $BYTES bytes (default 20 MB) as fast as it can.
# Prints the bytes the control plane stored, any drop marker, the seconds from submission to
# Succeeded, and the agent's peak memory. Run after `npm run build`: test/e2e-agent/measure-log-throughput.sh
set -u
BYTES=${BYTES:-20000000}
D=$(mktemp -d /tmp/tessera-measure-XXXX)
P=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ADM=adm-measure-$RANDOM$RANDOM
cd "$(dirname "$0")/../.."
TESSERA_ADMIN_TOKEN=$ADM node bin/tessera.js serve --port "$P" --data-dir "$D/data" --interval-ms 100 --log-level warn >"$D/serve.log" 2>&1 &
SP=$!
trap 'kill $SP ${AP:-} 2>/dev/null; wait 2>/dev/null; rm -rf "$D"' EXIT
until curl -sf "localhost:$P/readyz" >/dev/null; do sleep 0.2; done
api() { python3 - "$P" "$ADM" "$@"; }
TOK=$(api POST /api/v1/tokens '{"name":"m","role":"agent","nodeId":"m1"}' secret <<'PY'
import json, sys, urllib.request
p, adm, method, path, body, field = sys.argv[1:]
r = urllib.request.Request(f"http://127.0.0.1:{p}{path}", data=body.encode(), method=method, headers={"authorization": "Bearer " + adm, "content-type": "application/json"})
print(json.load(urllib.request.urlopen(r))[field])
PY
)
node bin/tessera.js agent --server "http://127.0.0.1:$P" --token "$TOK" --node-id m1 --devices simulated:nvidia-h20x8 --state-dir "$D/state" --heartbeat-sec 0.5 >"$D/agent.log" 2>&1 &
AP=$!
sleep 2
T0=$(date +%s.%N)
ID=$(api POST /api/v1/jobs "{\"name\":\"chatty\",\"kind\":\"batch\",\"command\":[\"sh\",\"-c\",\"yes 0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789 | head -c $BYTES\"],\"resources\":{\"count\":1}}" id <<'PY'
import json, sys, urllib.request
p, adm, method, path, body, field = sys.argv[1:]
r = urllib.request.Request(f"http://127.0.0.1:{p}{path}", data=body.encode(), method=method, headers={"authorization": "Bearer " + adm, "content-type": "application/json"})
print(json.load(urllib.request.urlopen(r))[field])
PY
)
until curl -s "localhost:$P/api/v1/jobs/$ID" -H "authorization: Bearer $ADM" | grep -q '"state":"Succeeded"'; do sleep 0.2; done
T1=$(date +%s.%N)
python3 - "$P" "$ADM" "$ID" <<'PY'
import json, sys, urllib.request
p, adm, jid = sys.argv[1:]
total = n = after = 0
marker = ''
while True:
    r = urllib.request.Request(f"http://127.0.0.1:{p}/api/v1/jobs/{jid}/logs?after={after}&limit=5000", headers={"authorization": "Bearer " + adm})
    d = json.load(urllib.request.urlopen(r))
    if not d["items"]:
        break
    for i in d["items"]:
        total += len(i["text"]); n += 1
        if "dropped" in i["text"]:
            marker = i["text"].strip()
    after = d["next"]
print(f"stored chars={total} chunks={n} drop-marker={marker!r}")
PY
echo "written bytes=$BYTES; seconds from submission to Succeeded: $(python3 -c "print(round($T1 - $T0, 2))")"
grep -E "VmHWM" "/proc/$AP/status" | sed 's/VmHWM:/agent peak RSS:/'
