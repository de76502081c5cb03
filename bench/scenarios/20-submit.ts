import { GENERATE_FROM_TEXT } from "../../test/helpers/operations";
import { AUTHORIZATION, SIMULATOR_KEY, startGateway } from "../lib/gateway";
import { startHelper } from "../lib/processes";
import { defineScenario, type Measured } from "../lib/scenario";
import { runLoad, type LoadFigures } from "../lib/wrk";

const CONNECTIONS = 16;

/** The upstream wire body the gateway sends for the mutation below (`toSubmitBody`). */
const WIRE_BODY = JSON.stringify({
  model: "kling-v3",
  prompt: "a benchmark",
  mode: "std",
  duration: 5,
  aspect_ratio: "16:9",
});

export const scenarios = [
  defineScenario({
    id: "submit",
    title: "text-to-video submits over HTTP",
    floor:
      "the same submits sent straight to the simulator (`POST /v1/videos/generations`), which the gateway calls once per submit.",
    figures: [
      { key: "perSecond", label: "throughput", unit: "submits/s", better: "higher", digits: 0 },
      { key: "p50Ms", label: "p50 latency", unit: "ms", better: "lower", digits: 2 },
      { key: "p99Ms", label: "p99 latency", unit: "ms", better: "lower", digits: 2 },
    ],
    notes: [
      `wrk -t1 -c${CONNECTIONS}, 2 s warm-up then 8 s measured, each side. Every gateway submit runs validation, the rate limit and quota (both set unlimited), the SQLite write-ahead, the upstream submit and its confirmation. Polling is pushed out (\`POLL_INTERVAL_MS=600000\`) so only the submit path is measured.`,
    ],
    round: async () => {
      const gateway = await startGateway({
        POLL_INTERVAL_MS: "600000",
        POLL_MAX_INTERVAL_MS: "600000",
      });
      let ours: LoadFigures;
      try {
        await gateway.submit(); // throws unless the mutation answers a task
        ours = await runLoad({
          url: gateway.url,
          body: JSON.stringify({
            query: GENERATE_FROM_TEXT,
            variables: { input: { prompt: "a benchmark" } },
          }),
          authorization: AUTHORIZATION,
          connections: CONNECTIONS,
          warmupSeconds: 2,
          seconds: 8,
        });
      } finally {
        await gateway.stop();
      }
      const simulator = await startHelper<{ url: string }>("simulator-host", {
        env: { SIMULATOR_API_KEY: SIMULATOR_KEY },
      });
      let theirs: LoadFigures;
      try {
        theirs = await runLoad({
          url: `${simulator.ready.url}/v1/videos/generations`,
          body: WIRE_BODY,
          authorization: `Bearer ${SIMULATOR_KEY}`,
          connections: CONNECTIONS,
          warmupSeconds: 2,
          seconds: 8,
        });
      } finally {
        await simulator.stop();
      }
      if (ours.failures || theirs.failures)
        throw new Error(`failed submits: gateway ${ours.failures}, floor ${theirs.failures}`);
      const pair = (key: keyof LoadFigures): Measured => ({
        gateway: ours[key],
        floor: theirs[key],
      });
      return { perSecond: pair("perSecond"), p50Ms: pair("p50Ms"), p99Ms: pair("p99Ms") };
    },
  }),
];
