// `egov exchange status | nodes | approve | reject | register` and `egov exchange client …`:
// what an operator does to run nodes: see how this node stands, decide on the central node
// which nodes join, (re)register a member node, and let client systems authenticate.
import fs from 'node:fs';
import path from 'node:path';
import { localOperator } from '../platform/actor.ts';
import { CliError, type Command } from './command.ts';
import { withServices } from './services.ts';

const operator = () => localOperator(`cli:${process.env.USER ?? 'operator'}`);

export const exchangeStatusCommand: Command = {
  name: 'exchange status',
  summary: "This node at a glance: its role, name, zone and address, its authentication certificate, its registration (member node), the global configuration's age and the message log's backlog.",
  usage: 'exchange status [--json] [--node <file>]',
  options: { json: { type: 'boolean' } },
  async run({ values }) {
    return withServices(async (services) => {
      const status = await services.exchange.status();
      if (values.json) {
        console.log(JSON.stringify(status, null, 2));
        return 0;
      }
      const { node } = status;
      console.log(`${status.role === 'central' ? 'Central node' : 'Member node'} ${node.name} of ${status.instance}, zone ${node.zone}, at ${node.url}`);
      console.log(`  authentication certificate: ${node.authCertificate ? `${node.authCertificate.serial}, ${node.authCertificate.daysLeft} days left` : 'none yet'}`);
      if (node.enrolment) console.log(`  registration: ${node.enrolment.status} (check code ${node.enrolment.checkCode})${node.enrolment.note ? `: ${node.enrolment.note}` : ''}`);
      const conf = status.globalConf;
      console.log(`  global configuration: ${!conf ? 'none yet' : 'published' in conf ? 'published by this node' : `${conf.valid ? 'valid' : 'EXPIRED'}, fetched ${conf.ageSeconds} s ago, expires ${conf.expiresAt}`}`);
      console.log(`  message log: ${status.messageLog.rows} rows, ${status.messageLog.pending} waiting for a timestamp`);
      return 0;
    });
  },
};

export const exchangeNodesCommand: Command = {
  name: 'exchange nodes',
  summary: "On the central node: the instance's nodes and the registrations waiting for a decision, with their check codes.",
  usage: 'exchange nodes',
  async run() {
    return withServices(async (services) => {
      const nodes = services.exchange.nodes;
      if (!nodes) throw new CliError('This is a member node; the central node keeps the node list.');
      const { nodes: rows } = await nodes.hosting();
      console.log('Nodes:');
      for (const row of rows) console.log(`  ${row.name.padEnd(20)} ${row.zone.padEnd(9)} ${row.url}  ${row.is_central ? '(central; hosts every member no other node hosts)' : row.members.join(', ')}`);
      const pending = await nodes.pendingRegistrations();
      console.log(pending.length ? 'Waiting for a decision:' : 'No registration is waiting.');
      for (const r of pending) console.log(`  ${r.id}  ${r.name}  check code ${r.checkCode}  ${r.zone}  ${r.url}  members ${r.members.join(', ')}  (from ${r.submittedFrom ?? '?'} at ${r.submittedAt})`);
      return 0;
    });
  },
};

function decisionCommand(kind: 'approve' | 'reject'): Command {
  return {
    name: `exchange ${kind}`,
    summary:
      kind === 'approve'
        ? 'On the central node: approve a node registration (compare its check code with the node operator first). Its keys are certified and it joins the global configuration.'
        : 'On the central node: reject a node registration, with the reason the node operator will see.',
    usage: `exchange ${kind} <registration id> ${kind === 'reject' ? '--note <reason>' : '[--note <text>]'}`,
    options: { note: { type: 'string' } },
    async run({ values, positionals }) {
      const id = positionals[0];
      if (!id) throw new CliError(`Give the registration id (egov exchange nodes lists them).\nUsage: egov ${this.usage}`, 2);
      if (kind === 'reject' && !values.note) throw new CliError('Say why: --note <reason>. The node operator sees it.', 2);
      return withServices(async (services) => {
        const nodes = services.exchange.nodes;
        if (!nodes) throw new CliError('This is a member node; registrations are decided on the central node.');
        const pending = (await nodes.pendingRegistrations()).find((r) => r.id === id);
        if (!pending) throw new CliError(`No registration ${id} is waiting for a decision (egov exchange nodes lists them).`);
        const decided = kind === 'approve' ? await nodes.approve(operator(), id, pending.version, values.note as string | undefined) : await nodes.reject(operator(), id, pending.version, String(values.note));
        console.log(`${kind === 'approve' ? 'Approved' : 'Rejected'} node ${decided.name} (check code ${decided.checkCode}).`);
        return 0;
      });
    },
  };
}

export const exchangeRegisterCommand: Command = {
  name: 'exchange register',
  summary: "On a member node: send (or, with --again, send anew) this node's registration to the central node and print the check code to give the central operator. The node also does this by itself at start.",
  usage: 'exchange register [--again] [--node <file>]',
  options: { again: { type: 'boolean' } },
  async run({ values }) {
    return withServices(async (services) => {
      const enrolment = services.exchange.enrolment;
      if (!enrolment) throw new CliError('This is the central node (no EGOV_ANCHOR_FILE); it needs no registration.');
      const state = await enrolment.step({ again: Boolean(values.again) });
      if (state.state === 'certified') console.log('This node is approved and holds its certificates.');
      else if (state.state === 'pending') console.log(`Registration ${state.registrationId} is waiting for the central operator. Check code: ${state.checkCode}`);
      else console.log(`The registration was rejected${state.note ? `: ${state.note}` : ''}. Fix what the note says, then run egov exchange register --again.`);
      return state.state === 'rejected' ? 1 : 0;
    });
  },
};

export const exchangeClientAddCommand: Command = {
  name: 'exchange client add',
  summary: 'Let a client system authenticate to this node as a subsystem: --token (generated, printed once), --certificate <PEM file>, or --address <IP or CIDR>.',
  usage: 'exchange client add <INSTANCE/CLASS/MEMBER/SUBSYSTEM> (--token | --certificate <file> | --address <cidr>) [--label <text>]',
  options: { token: { type: 'boolean' }, certificate: { type: 'string' }, address: { type: 'string' }, label: { type: 'string' } },
  async run({ values, positionals }) {
    const subsystem = positionals[0];
    const kinds = [values.token && 'token', values.certificate && 'certificate', values.address && 'address'].filter(Boolean) as ('token' | 'certificate' | 'address')[];
    if (!subsystem || kinds.length !== 1) throw new CliError(`Give the subsystem and exactly one of --token, --certificate, --address.\nUsage: egov ${this.usage}`, 2);
    let value: string | undefined;
    if (kinds[0] === 'certificate') {
      const file = path.resolve(String(values.certificate));
      if (!fs.existsSync(file)) throw new CliError(`No certificate file ${file}.`, 2);
      value = fs.readFileSync(file, 'utf8');
    }
    if (kinds[0] === 'address') value = String(values.address);
    return withServices(async (services) => {
      const added = await services.exchange.clientAuth.add(operator(), { subsystem, kind: kinds[0], value, label: values.label as string | undefined });
      console.log(`Added ${added.credential.kind} ${added.credential.id} for ${added.credential.subsystem}.`);
      if (added.token) console.log(`Token (shown once; send it as Authorization: Bearer …):\n${added.token}`);
      return 0;
    });
  },
};

export const exchangeClientListCommand: Command = {
  name: 'exchange client list',
  summary: "How client systems authenticate to this node, per subsystem (tokens are shown only by their hash's start).",
  usage: 'exchange client list',
  async run() {
    return withServices(async (services) => {
      const list = await services.exchange.clientAuth.list({});
      if (list.length === 0) console.log('No client credentials on this node.');
      for (const c of list) console.log(`${c.id}  ${c.subsystem}  ${c.kind.padEnd(11)} ${c.value}  ${c.label}`);
      return 0;
    });
  },
};

export const exchangeClientRemoveCommand: Command = {
  name: 'exchange client remove',
  summary: 'Revoke a client credential by its id (egov exchange client list shows them).',
  usage: 'exchange client remove <id>',
  async run({ positionals }) {
    if (!positionals[0]) throw new CliError(`Give the credential id.\nUsage: egov ${this.usage}`, 2);
    return withServices(async (services) => {
      await services.exchange.clientAuth.revoke(operator(), positionals[0]);
      console.log(`Revoked ${positionals[0]}.`);
      return 0;
    });
  },
};

export const NODE_COMMANDS = [exchangeStatusCommand, exchangeNodesCommand, decisionCommand('approve'), decisionCommand('reject'), exchangeRegisterCommand, exchangeClientAddCommand, exchangeClientListCommand, exchangeClientRemoveCommand];
