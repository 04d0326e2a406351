#!/bin/sh
# The task of the agent end-to-end test: records that it ran (one line per execution in
# $E2E_RUNS_FILE, the ground truth for "nothing ran twice"), waits for all ranks of its attempt
# like a rendezvous would (the ranks share this machine's runs file), prints its environment, and
# sleeps when asked to ($E2E_SLEEP_SEC, only on attempt $E2E_SLEEP_ATTEMPT when that is set).
echo "$TESSERA_JOB_ID $TESSERA_ATTEMPT $TESSERA_NODE_ID" >> "$E2E_RUNS_FILE"
tries=0
while [ "$(grep -c "^$TESSERA_JOB_ID $TESSERA_ATTEMPT " "$E2E_RUNS_FILE")" -lt "$TESSERA_NNODES" ] && [ $tries -lt 200 ]; do
  sleep 0.1
  tries=$((tries + 1))
done
echo "begin node=$TESSERA_NODE_ID attempt=$TESSERA_ATTEMPT"
env | sort
if [ -n "$E2E_SLEEP_SEC" ] && [ "$TESSERA_ATTEMPT" = "${E2E_SLEEP_ATTEMPT:-$TESSERA_ATTEMPT}" ]; then
  sleep "$E2E_SLEEP_SEC"
fi
echo "end node=$TESSERA_NODE_ID"
