// Runs MPS calls through Tencent's Node.js SDK (tencentcloud-sdk-nodejs-mps), configured as its README says,
// and prints one JSON line of results. Input on stdin, one JSON object:
//   {"endpoint": "127.0.0.1:PORT", "secretId": "...", "secretKey": "...", "region": "ap-chongqing",
//    "signMethod": "TC3-HMAC-SHA256" | "HmacSHA1" | "HmacSHA256", "reqMethod": "POST" | "GET",
//    "calls": [{"action": "ProcessMedia", "params": {...}}, ...]}
// Each call goes through the client's typed method of that name (client.ProcessMedia(params)); a call may use
// "$0.TaskId" as a value to refer to a member of an earlier answer. Output: [{"response": {...}} or
// {"error": {"code", "message", "requestId"}}, ...].
"use strict";
const { mps } = require("tencentcloud-sdk-nodejs-mps");

function readStdin() {
  return new Promise((resolve) => {
    let text = "";
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (chunk) => (text += chunk));
    process.stdin.on("end", () => resolve(text));
  });
}

function resolveRefs(value, answers) {
  if (typeof value === "string") {
    const match = /^\$(\d+)\.(\w+)$/.exec(value);
    return match ? answers[Number(match[1])].response[match[2]] : value;
  }
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, answers));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, answers)]));
  }
  return value;
}

async function main() {
  const spec = JSON.parse(await readStdin());
  const client = new mps.v20190612.Client({
    credential: { secretId: spec.secretId, secretKey: spec.secretKey },
    region: spec.region,
    profile: {
      signMethod: spec.signMethod,
      httpProfile: { endpoint: spec.endpoint, protocol: "http://", reqMethod: spec.reqMethod, reqTimeout: 10 },
    },
  });
  const answers = [];
  for (const call of spec.calls) {
    try {
      const response = await client[call.action](resolveRefs(call.params, answers));
      answers.push({ response });
    } catch (err) {
      answers.push({ error: { code: err.code || "", message: err.message, requestId: err.requestId || "" } });
    }
  }
  process.stdout.write(JSON.stringify(answers) + "\n");
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + "\n");
  process.exit(1);
});
