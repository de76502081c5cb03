import type { Client } from "graphql-ws";
import { postMultipart } from "../helpers/multipart-client";
import { startTestGateway, waitFor, type TestGateway } from "../helpers/test-gateway";
import { connect, subscribe } from "../helpers/ws-client";

const ALICE = "alice-secret-0123456789";
const WATCH = `subscription ($id: ID!) { taskUpdated(id: $id) { id status } }`;
const SUBMIT = `mutation ($prompt: String!, $key: String) {
  generateVideoFromText(input: { prompt: $prompt }, idempotencyKey: $key) { id }
}`;

/** One sample's value from Prometheus text, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("operations endpoints", () => {
  let gateway: TestGateway;
  const origin = () => new URL(gateway.url).origin;
  const metrics = async () => (await fetch(`${origin()}/metrics`)).text();

  beforeAll(async () => {
    gateway = await startTestGateway({ GATEWAY_API_KEYS: `alice:${ALICE}` });
  });
  afterAll(() => gateway.stop());

  it("/healthz answers while the process runs", async () => {
    const response = await fetch(`${origin()}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("/readyz is 200 naming each check when the store answers and the gateway is not draining", async () => {
    const response = await fetch(`${origin()}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: "ready",
      checks: { store: "ok", not_draining: "ok" },
    });
  });

  it("/metrics serves process metrics and the gateway's, in Prometheus text, with no credential", async () => {
    const response = await fetch(`${origin()}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes /m);
    expect(text).toMatch(/^# TYPE video_gateway_submits_total counter$/m);
    expect(sample(text, 'video_gateway_subscriptions{transport="multipart"}')).toBe(0);
  });

  it("counts submits by outcome and reason, task statuses, upstream calls, poll lag and deliveries", async () => {
    const { body } = await gateway.gql<{ generateVideoFromText: { id: string } }>(
      SUBMIT,
      { prompt: "a heron takes off", key: "metrics-key-1" },
      ALICE,
    );
    const id = body.data!.generateVideoFromText.id;
    await gateway.gql(SUBMIT, { prompt: "a heron takes off", key: "metrics-key-1" }, ALICE);
    await gateway.gql(SUBMIT, { prompt: "   " }, ALICE);
    gateway.simulator!.faults.add({ route: "submit", fault: { type: "http", status: 402 } });
    await gateway.gql(SUBMIT, { prompt: "no balance" }, ALICE);

    const ws: Client = connect(gateway.wsUrl, ALICE);
    try {
      const overWs = subscribe(ws, WATCH, { id });
      await overWs.nth(1);
      const multipart = await postMultipart(
        gateway.url,
        { query: WATCH, variables: { id } },
        { authorization: `Bearer ${ALICE}` },
      );
      await multipart.partWhere(
        (part) => typeof part === "object" && part !== null && "payload" in part,
      );
      const during = await metrics();
      expect(sample(during, "video_gateway_websocket_connections")).toBe(1);
      expect(sample(during, 'video_gateway_subscriptions{transport="ws"}')).toBe(1);
      expect(sample(during, 'video_gateway_subscriptions{transport="multipart"}')).toBe(1);
      await Promise.all([overWs.done, multipart.ended]);
    } finally {
      await ws.dispose();
    }

    const text = await waitFor(async () => {
      const current = await metrics();
      return sample(current, "video_gateway_websocket_connections") === 0 ? current : null;
    });
    const count = (series: string) => sample(text, series) ?? 0;
    expect(count('video_gateway_submits_total{outcome="accepted",reason="none"}')).toBe(1);
    expect(count('video_gateway_submits_total{outcome="replayed",reason="none"}')).toBe(1);
    expect(count('video_gateway_submits_total{outcome="refused",reason="bad_input"}')).toBe(1);
    expect(
      count('video_gateway_submits_total{outcome="refused",reason="upstream_payment_required"}'),
    ).toBe(1);
    expect(count('video_gateway_task_transitions_total{status="QUEUED"}')).toBe(1);
    expect(count('video_gateway_task_transitions_total{status="SUCCEEDED"}')).toBe(1);
    expect(
      count('video_gateway_upstream_requests_total{endpoint="submit",outcome="ok",status="200"}'),
    ).toBe(1);
    expect(
      count(
        'video_gateway_upstream_requests_total{endpoint="submit",outcome="payment_required",status="402"}',
      ),
    ).toBe(1);
    expect(
      count('video_gateway_upstream_requests_total{endpoint="status",outcome="ok",status="200"}'),
    ).toBeGreaterThanOrEqual(2);
    expect(
      count(
        'video_gateway_upstream_request_duration_seconds_count{endpoint="status",outcome="ok"}',
      ),
    ).toBeGreaterThanOrEqual(2);
    expect(count("video_gateway_poll_lag_seconds_count")).toBeGreaterThanOrEqual(2);
    expect(count('video_gateway_subscription_events_total{transport="ws"}')).toBeGreaterThanOrEqual(
      2,
    );
    expect(
      count('video_gateway_subscription_events_total{transport="multipart"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(count('video_gateway_subscriptions{transport="ws"}')).toBe(0);
    expect(count('video_gateway_subscriptions{transport="multipart"}')).toBe(0);
    expect(count("video_gateway_tasks_polled")).toBe(0);
  });
});

describe("with METRICS_ENABLED=false", () => {
  it("/metrics is not served", async () => {
    const gateway = await startTestGateway({ METRICS_ENABLED: "false" });
    try {
      const response = await fetch(`${new URL(gateway.url).origin}/metrics`);
      expect(response.status).toBe(404);
    } finally {
      await gateway.stop();
    }
  });
});
