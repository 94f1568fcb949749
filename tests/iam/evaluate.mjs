// Evaluates one identity policy against a list of requests with @cloud-copilot/iam-simulate (the
// version package-lock.json pins), which checks each request against AWS's Service Authorization
// Reference (the resource types and condition keys each action takes) before it decides.
//
// stdin:  {"policy": {...}, "requests": [{"action", "resource", "context": {key: value}}]}
// stdout: [{"action", "resource", "decision"}], one per request in order, where decision is
//         Allowed, ExplicitlyDenied or ImplicitlyDenied.
// A request the reference does not accept (an unknown action, a resource of the wrong type, a
// condition key the action does not take) or a policy that does not parse is an error: one line on
// stderr, exit 1, nothing on stdout.

import { runSimulation } from '@cloud-copilot/iam-simulate'

// The account every request is made in and every principal belongs to.
const PRINCIPAL = 'arn:aws:iam::123456789012:role/deployer'

function fail(message) {
  process.stderr.write(`evaluate.mjs: ${message}\n`)
  process.exit(1)
}

async function readStdin() {
  const chunks = []
  for await (const chunk of process.stdin) chunks.push(chunk)
  return Buffer.concat(chunks).toString('utf8')
}

let input
try {
  input = JSON.parse(await readStdin())
} catch (error) {
  fail(`stdin is not JSON: ${error.message}`)
}
if (!input || typeof input.policy !== 'object' || !Array.isArray(input.requests)) {
  fail('stdin must be {"policy": {...}, "requests": [...]}')
}

const decisions = []
for (const request of input.requests) {
  const accountId = (request.resource.split(':')[4] || '').trim() || '123456789012'
  const response = await runSimulation(
    {
      identityPolicies: [{ name: 'policy', policy: input.policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: undefined,
      request: {
        principal: PRINCIPAL,
        action: request.action,
        resource: { resource: request.resource, accountId },
        contextVariables: request.context || {}
      }
    },
    {}
  )
  if (response.resultType === 'error') {
    fail(`${request.action} on ${request.resource}: ${JSON.stringify(response.errors)}`)
  }
  decisions.push({
    action: request.action,
    resource: request.resource,
    decision: response.overallResult
  })
}
process.stdout.write(JSON.stringify(decisions) + '\n')
