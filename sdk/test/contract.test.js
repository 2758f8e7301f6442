// Keeps docs/openapi.json and the SDK in step with the Rust types they describe: the command
// ops and their fields (command.rs), the event types (event.rs) and the error codes. The
// Rust sources are read as text: this is a drift alarm, not a Rust parser, so it relies on
// rustfmt's layout of those files.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const AgentBar = require('../agentbar.js');

const ROOT = path.resolve(__dirname, '..', '..');
const read = (p) => fs.readFileSync(path.join(ROOT, p), 'utf8');
const doc = JSON.parse(read('docs/openapi.json'));
const schemas = doc.components.schemas;
const snake = (name) => name.replace(/[A-Z]/g, (c, i) => (i ? '_' : '') + c.toLowerCase());

/** The body of `pub enum <name> { ... }`, without doc comments and attributes. */
function enumBody(source, name) {
  const start = source.indexOf(`pub enum ${name} {`);
  assert.ok(start >= 0, `enum ${name} not found`);
  const end = source.indexOf('\n}\n', start);
  return source
    .slice(source.indexOf('\n', start) + 1, end)
    .split('\n')
    .filter((l) => !/^\s*\/\/\//.test(l));
}

/** `{op: {field: optional}}` from the `Command` enum. */
function rustCommands() {
  const out = {};
  let fields = null;
  let optional = false;
  for (const line of enumBody(read('crates/agentbar-core/src/model/command.rs'), 'Command')) {
    let m;
    if ((m = /^ {4}(\w+),$/.exec(line))) out[snake(m[1])] = {};
    else if ((m = /^ {4}(\w+) \{$/.exec(line))) fields = out[snake(m[1])] = {};
    else if (/^ {4}\},?$/.test(line)) fields = null;
    else if (/^ {8}#\[serde\(default\)\]$/.test(line)) optional = true;
    else if (fields && (m = /^ {8}(\w+): /.exec(line))) {
      fields[m[1]] = optional || /: Option</.test(line);
      optional = false;
    }
  }
  return out;
}

test('the Command schema has every op of command.rs with exactly its fields', () => {
  const rust = rustCommands();
  assert.ok(Object.keys(rust).length >= 28, 'the parser found the enum');
  const mapping = schemas.Command.discriminator.mapping;
  assert.deepEqual(Object.keys(mapping).sort(), Object.keys(rust).sort());
  for (const [op, fields] of Object.entries(rust)) {
    const s = schemas[mapping[op].split('/').pop()];
    assert.equal(s.additionalProperties, false, `${op}: deny_unknown_fields`);
    assert.deepEqual(s.properties.op, { const: op });
    const props = Object.keys(s.properties).filter((p) => p !== 'op');
    assert.deepEqual(props.sort(), Object.keys(fields).sort(), `${op}: fields`);
    const required = s.required.filter((p) => p !== 'op');
    const want = Object.keys(fields).filter((f) => !fields[f]);
    assert.deepEqual(required.sort(), want.sort(), `${op}: required fields`);
  }
});

test('the Event schema and the SDK know every event type of event.rs', () => {
  const variants = enumBody(read('crates/agentbar-core/src/model/event.rs'), 'EventKind')
    .map((l) => /^ {4}(\w+)(?: \{|,)$/.exec(l))
    .filter(Boolean)
    .map((m) => snake(m[1]));
  assert.ok(variants.includes('crm_call_result'));
  assert.deepEqual(Object.keys(schemas.Event.discriminator.mapping).sort(), [...variants].sort());
  assert.deepEqual([...AgentBar.EVENT_TYPES].sort(), [...variants].sort());
});

test('ErrorCode lists every code the listener can answer with', () => {
  const codes = new Set(schemas.ErrorCode.enum);
  const strings = (file, fn) => {
    const src = read(file);
    const start = src.indexOf(`fn ${fn}(`);
    assert.ok(start >= 0, `${file}: fn ${fn}`);
    return [...src.slice(start, src.indexOf('\n    }\n', start)).matchAll(/=> "([a-z_]+)"/g)].map((m) => m[1]);
  };
  const fromRust = [
    ...strings('crates/agentbar-core/src/error.rs', 'as_str'),
    ...strings('crates/agentbar-api/src/policy/decide.rs', 'as_str'),
    ...[...read('crates/agentbar-api/src/error.rs').matchAll(/^\s+"([a-z_]+)",$/gm)].map((m) => m[1]),
    ...[...read('crates/agentbar-api/src/extract.rs').matchAll(/=> "([a-z_]+)"/g)].map((m) => m[1]),
  ];
  // The listener's own refusals (policy guard), once that file is in the tree.
  const guard = 'crates/agentbar-api/src/policy/guard.rs';
  if (fs.existsSync(path.join(ROOT, guard))) fromRust.push(...strings(guard, 'as_str'));
  assert.ok(fromRust.includes('approval_pending') || !fs.existsSync(path.join(ROOT, guard)));
  for (const code of fromRust) assert.ok(codes.has(code), `ErrorCode lacks ${code}`);
  for (const code of ['forbidden_host', 'timeout', 'method_not_allowed', 'rate_limited', 'origin_denied']) {
    assert.ok(codes.has(code), code);
  }
});
