// Workflow histories to and from the proto3 JSON that Temporal's CLI and UI also export, for the fixtures.
import { dirname } from 'node:path';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';

export type History = proto.temporal.api.history.v1.IHistory;

/*
 * Why not historyToJSON/historyFromJSON from @temporalio/common/lib/proto-utils: in this install
 * @temporalio/common and @temporalio/proto each carry their own copy of protobufjs, and protojson's
 * `instanceof Type` check rejects types built by the other copy ("TypeError: type must be a Type"), so
 * both functions throw (and so does Worker.runReplayHistory when handed JSON). Loading protojson from the
 * copy that built @temporalio/proto's types avoids that. `require` (not createRequire) keeps jest's module
 * registry in charge, so this is the very module instance @temporalio/proto loaded.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const protojson = require(require.resolve('protobufjs/ext/protojson', { paths: [dirname(require.resolve('@temporalio/proto'))] })) as {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
};

// Cast: the generated types omit the reflection API the patched root has.
const historyType = (patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown }).lookupType('temporal.api.history.v1.History');

/** Pretty-printed, so a fixture reads (and diffs) event by event. */
export function historyToJSON(history: History): string {
  const message = proto.temporal.api.history.v1.History.fromObject(history);
  return `${JSON.stringify(protojson.toJson(historyType, message), null, 2)}\n`;
}

/** A decoded History (Long event ids), which Worker.runReplayHistory takes as it is. */
export function historyFromJSON(json: string): History {
  // Fields a newer server adds are no reason to fail a replay.
  return protojson.fromJson(historyType, JSON.parse(json), { ignoreUnknownFields: true }) as History;
}
