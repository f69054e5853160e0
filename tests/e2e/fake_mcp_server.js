// A minimal MCP server over stdio (JSON-RPC 2.0, one message a line), for the e2e `mcp` run:
// the clients list the servers AgentGate wrote into their files and connect to them, and this
// one answers as a real server does — initialize, tools/list (one tool), ping — so a client
// that shows it "connected" has read the entry AgentGate wrote in its own format. With
// FAKE_MCP_LOG set, it appends each method it is asked to that file.
'use strict';
const fs = require('fs');
const readline = require('readline');

const tool = {
  name: 'whisper',
  description: 'Returns the word the e2e run looks for.',
  inputSchema: { type: 'object', properties: {}, additionalProperties: false },
};

function send(msg) { process.stdout.write(JSON.stringify(msg) + '\n'); }

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  let msg;
  try { msg = JSON.parse(line); } catch { return; }
  if (process.env.FAKE_MCP_LOG) fs.appendFileSync(process.env.FAKE_MCP_LOG, `${msg.method}\n`);
  if (msg.id === undefined) return;  // a notification
  const reply = (result) => send({ jsonrpc: '2.0', id: msg.id, result });
  switch (msg.method) {
    case 'initialize':
      reply({
        protocolVersion: (msg.params && msg.params.protocolVersion) || '2025-06-18',
        capabilities: { tools: { listChanged: false } },
        serverInfo: { name: 'agentgate-e2e-mcp', version: '1.0.0' },
      });
      break;
    case 'tools/list': reply({ tools: [tool] }); break;
    case 'tools/call':
      reply({ content: [{ type: 'text', text: 'mcp says 7-kiwi' }] });
      break;
    case 'ping': reply({}); break;
    default:
      send({ jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: 'Method not found' } });
  }
});
